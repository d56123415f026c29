/**
 * The 统计 page's tables from the answers: one dimension (rows with the chosen 口径's column,
 * the 合计 row last) or the street × 门类 cross-tab (a column per 门类 and a 合计 column, a 合计
 * row of the column totals). Amounts are shown as the server sent them, in its unit.
 */
export const DIMENSIONS = Object.freeze([
  { value: 'street', label: '街道' },
  { value: 'theme', label: '特色主题' },
  { value: 'section', label: '行业门类' },
  { value: 'zone', label: '功能区' },
  { value: 'month', label: '月份' },
  { value: 'cross', label: '街道 × 行业门类' },
])

export const BASES = Object.freeze([
  { value: 'tax_total', label: '全口径' },
  { value: 'tax_district', label: '区级' },
])

export const UNITS = Object.freeze([
  { value: 'yuan', label: '元' },
  { value: 'wan', label: '万元' },
])

/** Aggregates → {columns: [{key, label}], rows: [{key, cells: {…}, kind}]} with 合计 last. */
export function aggregateTable(answer, basis) {
  // While another dimension's answer is still shown (the cross-tab's), there is no table yet.
  if (!answer?.items || !answer.total_row) return { columns: [], rows: [] }
  const unit = answer.unit
  const basisLabel = basis === 'tax_district' ? '区级税收' : '全口径税收'
  const columns = [
    { key: 'name', label: answer.by_name || '分组' },
    { key: 'buildings', label: '楼宇数', numeric: true },
    { key: 'enterprises', label: '有数据的企业数', numeric: true },
    { key: basis, label: `${basisLabel}（${unit}）`, numeric: true },
    { key: 'revenue', label: `营业收入（${unit}）`, numeric: true },
  ]
  const row = (r) => ({ key: r.code, kind: r.kind, cells: { ...r } })
  return { columns, rows: [...answer.items.map(row), { ...row(answer.total_row), kind: 'total' }] }
}

/** Cross-tab → the same shape: a column per 门类, the row total, a 合计 row of column totals. */
export function crossTable(answer) {
  if (!answer?.columns || !answer.column_totals) return { columns: [], rows: [] }
  const columns = [
    { key: 'name', label: '街道' },
    ...answer.columns.map((c) => ({ key: c.code, label: `${c.code === '_other' ? '' : `${c.code} `}${c.name}`, numeric: true })),
    { key: 'total', label: `合计（${answer.unit}）`, numeric: true },
  ]
  const rows = answer.items.map((r) => ({ key: r.code, kind: r.kind, cells: { name: r.name, ...r.values, total: r.total } }))
  rows.push({ key: '_total', kind: 'total', cells: { name: '合计', ...answer.column_totals, total: answer.grand_total } })
  return { columns, rows }
}
