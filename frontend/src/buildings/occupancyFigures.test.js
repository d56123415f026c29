import { describe, expect, it } from 'vitest'
import { figureRows, readFigures } from './occupancyFigures.js'

const registry = {
  on: '2026-11-30',
  status: 'reported',
  status_label: '已填报',
  occupancy_rate: 0.6143,
  occupied_area: 6448.5,
  vacant_area: 4048,
  tenant_count: 24,
}
const metrics = {
  figures_on: '2026-11-30',
  figures_status: 'reported',
  figures_status_label: '已填报',
  occupancy_rate: 0.6143,
  occupied_area: 6448.5,
  vacant_area: 4048,
  tenants: 24,
}

describe('occupancy figures', () => {
  it('shows the same text for the same figures from either service, with the date', () => {
    expect(figureRows(registry)).toEqual(figureRows(metrics))
    expect(figureRows(registry).map((r) => [r.label, r.value])).toEqual([
      ['统计日期', '2026年11月30日'],
      ['入驻率', '61.4%'],
      ['入驻面积', '6,448.5㎡'],
      ['空置面积', '4,048㎡'],
      ['在楼企业', '24家'],
    ])
  })

  it('says 未填报 instead of a rate', () => {
    const rows = figureRows({ ...registry, status: 'not_reported', occupancy_rate: null, vacant_area: null })
    expect(rows.find((r) => r.key === 'rate').value).toBe('未填报')
    expect(rows.find((r) => r.key === 'vacant').value).toBe('未填报')
  })

  it('says 在建 next to a building under construction', () => {
    const rows = figureRows({ ...metrics, figures_status: 'under_construction', occupancy_rate: 0 })
    expect(rows.find((r) => r.key === 'rate').value).toBe('0.0%（在建）')
  })

  it('is empty without a date', () => {
    expect(readFigures({ occupancy_rate: 0.5 })).toBeNull()
    expect(figureRows(null)).toEqual([])
  })
})
