import { download, get } from '../api/http.js'

/** 统计局 figures (metrics/stats): sums by one dimension, the street × 门类 cross-tab, and their files. */
const BASE = '/api/metrics/stats'

/** GET /stats/aggregates?period=&by=&unit= → {period, by_name, unit, items, total_row, district, notes}. */
export function getAggregates({ period, by, unit }) {
  return get(`${BASE}/aggregates`, { query: { period: period || undefined, by, unit } })
}

/** GET /stats/cross-tab?period=&basis=&unit= → {columns, items, column_totals, grand_total, district, notes}. */
export function getCrossTab({ period, basis, unit }) {
  return get(`${BASE}/cross-tab`, { query: { period: period || undefined, basis, unit } })
}

/** The same table as a file (.xlsx or .csv, with its 口径说明) → {blob, filename}. */
export function exportStats({ period, by, basis, unit }, format) {
  const query = { period: period || undefined, unit, format }
  if (by === 'cross') return download(`${BASE}/cross-tab/export`, { query: { ...query, basis } })
  return download(`${BASE}/aggregates/export`, { query: { ...query, by } })
}
