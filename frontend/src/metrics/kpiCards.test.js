import { describe, expect, it } from 'vitest'
import { isKpiBody, kpiCards, rankText } from './kpiCards.js'

const body = {
  level: 'street',
  code: '420106001',
  name: '积玉桥街道',
  period: { key: '2025-09-YTD', label: '2025年1-9月' },
  buildings: 12,
  tax_total: 1.2e9,
  tax_district: 4e8,
  revenue: null,
  yoy: { tax_total: { previous: 1.1e9, change: 1e8, rate: 0.0909 }, tax_district: { previous: null, change: null, rate: null } },
  occupancy_rate: 0.853,
  vacant_area: 123456,
  tenants: 640,
  registration_rate: 0.72,
  statistics_rate: 0.55,
  efficiency: { annualised: true, tax_total_per_m2_gfa: 4373.2, tax_total_per_m2_occupied: 5120 },
  rank: { district: { position: 3, of: 41 }, street: { position: 1, of: 12 } },
}

describe('kpiCards', () => {
  it('makes the cards with 同比 and 坪效 on both areas', () => {
    expect(isKpiBody(body)).toBe(true)
    expect(isKpiBody({ tax_total: { value: 1 }, yoy: 1 })).toBe(false)
    const cards = kpiCards(body)
    const byKey = Object.fromEntries(cards.map((c) => [c.key, c]))
    expect(byKey.tax_total).toMatchObject({ label: '全口径税收', kind: 'money', value: 1.2e9, yoy: 0.0909 })
    expect(byKey.tax_district.yoy).toBeNull()
    expect(byKey.tax_per_m2_gfa).toMatchObject({ value: 4373.2, note: '按全年折算' })
    expect(byKey.tax_per_m2_occupied.value).toBe(5120)
    expect(byKey.tenants).toMatchObject({ unit: '家', value: 640 })
    expect(byKey.buildings.value).toBe(12)
    expect(byKey.revenue).toBeUndefined()
  })
  it('leaves the building count out for one building', () => {
    expect(kpiCards(body, { level: 'building' }).some((c) => c.key === 'buildings')).toBe(false)
  })
  it('writes the rank', () => {
    expect(rankText(body.rank)).toBe('全区第3位（共41栋），街道内第1位（共12栋）')
    expect(rankText(null)).toBe('')
  })
})
