import { describe, expect, it } from 'vitest'
import { buildingCards, buildingSeries, featuredVerdict, tenantTax } from './buildingShape.js'

describe('buildingSeries', () => {
  it('puts both bases on one month axis', () => {
    const s = buildingSeries({
      monthly: [
        { period: '2025-02', tax_total: 200, tax_district: 60 },
        { period: '2025-01', tax_total: 100, tax_district: 30 },
      ],
    })
    expect(s.months).toEqual(['2025-01', '2025-02'])
    expect(s.series.map((x) => x.name)).toEqual(['全口径税收', '区级税收'])
    expect(s.series[1].values).toEqual([30, 60])
  })
  it('leaves out the district line when there are no district figures', () => {
    expect(buildingSeries({ monthly: [{ period: '2025-01', tax_total: 1 }] }).series).toHaveLength(1)
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
          { theme: 'digital', theme_name: '数字经济', declared: false, qualifies: false, reasons: ['数字经济企业占入驻面积 12%（阈值 50%）'] },
          { theme: 'finance', theme_name: '金融', declared: true, qualifies: true, reasons: ['金融企业占入驻面积 63%（阈值 50%）', '建筑面积 52,000㎡（下限 10,000㎡）'] },
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
  it('labels the building figures and skips the identity fields', () => {
    const cards = buildingCards({ code: 'x', name: '阿里中心', period: '2025', kpis: { tax_total: { value: 3e8, yoy: 0.1 }, occupancy_rate: 0.9 } })
    expect(cards.map((c) => c.label)).toEqual(['全口径税收', '入驻率'])
  })
  it('ranks tenants by tax', () => {
    const rows = tenantTax({ items: [{ credit_code: 'A', name: '甲', tax_total: 1 }, { credit_code: 'B', name: '乙', tax_total: 5 }, { name: '无代码' }] })
    expect(rows.map((r) => r.name)).toEqual(['乙', '甲'])
  })
})
