import { describe, expect, it } from 'vitest'
import { fixtures } from '../contract/fixtures.js'
import { kpiCards, rankText } from './kpiCards.js'

describe('kpiCards', () => {
  it('makes the cards with 同比 and 坪效 on both areas, from the recorded KPI answer', () => {
    const body = fixtures.kpisDistrict()
    const byKey = Object.fromEntries(kpiCards(body).map((c) => [c.key, c]))
    expect(byKey.tax_total).toMatchObject({ label: '全口径税收', kind: 'money', value: body.tax_total, yoy: body.yoy.tax_total.rate })
    expect(byKey.tax_per_m2_gfa).toMatchObject({ value: body.efficiency.tax_total_per_m2_gfa, note: '按全年折算' })
    expect(byKey.tax_per_m2_occupied.value).toBe(body.efficiency.tax_total_per_m2_occupied)
    expect(byKey.tenants).toMatchObject({ unit: '家', value: body.tenants })
    expect(byKey.buildings.value).toBe(body.buildings)
    expect(kpiCards({ ...body, revenue: null }).some((c) => c.key === 'revenue')).toBe(false)
  })
  it('leaves the building count out for one building', () => {
    expect(kpiCards(fixtures.kpisBuilding(), { level: 'building' }).some((c) => c.key === 'buildings')).toBe(false)
  })
  it('writes the rank', () => {
    expect(rankText({ district: { position: 3, of: 41 }, street: { position: 1, of: 12 } })).toBe(
      '全区第3位（共41栋），街道内第1位（共12栋）',
    )
    expect(rankText({ district: { position: 1, of: 2 }, street: null })).toBe('全区第1位（共2栋）')
    expect(rankText(null)).toBe('')
  })
})
