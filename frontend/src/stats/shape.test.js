import { describe, expect, it } from 'vitest'
import { aggregateTable, crossTable } from './shape.js'

describe('stats tables', () => {
  it('puts the 合计 row last and the chosen 口径 in the header', () => {
    const answer = {
      unit: '万元',
      by_name: '街道',
      items: [
        { code: '420106001', name: '积玉桥街道', kind: 'group', tax_total: 35, tax_district: 12 },
        { code: '_unattributed', name: '未入楼企业', kind: 'unattributed', tax_total: 4, tax_district: 1 },
      ],
      total_row: { code: '_total', name: '合计', kind: 'total', tax_total: 39, tax_district: 13 },
    }
    const t = aggregateTable(answer, 'tax_district')
    expect(t.columns.map((c) => c.label)).toContain('区级税收（万元）')
    expect(t.rows.map((r) => r.cells.name)).toEqual(['积玉桥街道', '未入楼企业', '合计'])
    expect(t.rows.at(-1).kind).toBe('total')
  })

  it('adds the column totals as a 合计 row of the cross-tab', () => {
    const answer = {
      unit: '元',
      columns: [
        { code: 'I', name: '信息传输、软件和信息技术服务业' },
        { code: 'J', name: '金融业' },
      ],
      items: [
        { code: 'a', name: '积玉桥街道', kind: 'group', values: { I: 200, J: 150 }, total: 350 },
        { code: '_unattributed', name: '未入楼企业', kind: 'unattributed', values: { I: 0, J: 40 }, total: 40 },
      ],
      column_totals: { I: 200, J: 190 },
      grand_total: 390,
    }
    const t = crossTable(answer)
    expect(t.columns.at(-1).label).toBe('合计（元）')
    expect(t.rows.at(-1).cells).toMatchObject({ name: '合计', I: 200, J: 190, total: 390 })
  })

  it('draws nothing from the other dimension answer while the new one loads', () => {
    expect(crossTable({ unit: '元', items: [], total_row: {} }).rows).toEqual([])
    expect(aggregateTable({ unit: '元', columns: [], column_totals: {} }, 'tax_total').rows).toEqual([])
  })
})
