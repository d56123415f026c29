import { describe, expect, it } from 'vitest'
import { fixtures } from '../contract/fixtures.js'
import { buildingCards, buildingSeries, featuredVerdict, tenantTax } from './buildingShape.js'

describe('buildingSeries', () => {
  it('puts both bases on one month axis', () => {
    const s = buildingSeries({
      monthly: [
        { period: '2025-01', tax_total: 100, tax_district: 30 },
        { period: '2025-02', tax_total: 200, tax_district: 60 },
      ],
    })
    expect(s.months).toEqual(['2025-01', '2025-02'])
    expect(s.series.map((x) => x.name)).toEqual(['全口径税收', '区级税收'])
    expect(s.series[1].values).toEqual([30, 60])
  })
  it('leaves out the district line when there are no district figures', () => {
    expect(buildingSeries({ monthly: [{ period: '2025-01', tax_total: 1, tax_district: null }] }).series).toHaveLength(1)
  })
})

describe('featuredVerdict', () => {
  it('reads the verdict with its per-theme checks, qualifying first', () => {
    const v = featuredVerdict({
      featured: {
        year: 2025,
        as_of: '2025-09-30',
        qualifies: true,
        theme_names: ['金融'],
        summary: '符合特色楼宇（金融）',
        checks: [
          {
            theme: 'digital',
            theme_name: '数字经济',
            declared: false,
            qualifies: false,
            reasons: ['数字经济企业占入驻面积 12%（阈值 50%）'],
          },
          {
            theme: 'finance',
            theme_name: '金融',
            declared: true,
            qualifies: true,
            reasons: ['金融企业占入驻面积 63%（阈值 50%）', '建筑面积 52,000㎡（下限 10,000㎡）'],
          },
        ],
      },
    })
    expect(v.qualifies).toBe(true)
    expect(v.checks[0].themeName).toBe('金融')
    expect(v.checks[0].reasons[0]).toContain('63%')
    expect(v.themeNames).toEqual(['金融'])
  })
  it('is null when the answer has no verdict', () => {
    expect(featuredVerdict({})).toBeNull()
  })
})

describe('buildingCards and tenantTax', () => {
  it('makes the building cards from its kpis (no building count)', () => {
    const page = fixtures.building()
    const cards = buildingCards(page)
    expect(cards[0]).toMatchObject({ key: 'tax_total', value: page.kpis.tax_total })
    expect(cards.some((c) => c.key === 'buildings')).toBe(false)
    expect(buildingCards(null)).toEqual([])
  })
  it('ranks tenants by tax', () => {
    const row = (credit_code, name, tax_total) => ({
      credit_code,
      name,
      tax_total,
      tax_district: null,
      share: 1,
      industry_code: null,
      registered_in_district: true,
      in_statistics: false,
    })
    const rows = tenantTax({ items: [row('A', '甲', 1), row('B', '乙', 5), row('C', '', null)] })
    expect(rows.map((r) => r.name)).toEqual(['乙', '甲', 'C'])
  })
})
