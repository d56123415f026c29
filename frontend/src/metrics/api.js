import { download, get, upload } from '../api/http.js'

/**
 * The metrics service (/api/metrics): the cockpit's one call, KPIs, rankings, one
 * building's figures and tenants, the read model's sync state, and the bureau's facts.
 * Money comes in 元, areas in ㎡, ratios as fractions.
 */
const BASE = '/api/metrics'

/** GET /dashboard?period= → everything the cockpit's first screen shows, for one period. */
export function getDashboard(period) {
  return get(`${BASE}/dashboard`, { query: { period } })
}

/** GET /kpis?level=district|street|theme|zone|building&code=&period= */
export function getKpis({ level, code, period }) {
  return get(`${BASE}/kpis`, { query: { level, code, period } })
}

/** GET /rankings/buildings?period=&sort=&street=&theme=&zone=&limit=&offset= → {items: buildings ranked, total}. */
export function getBuildingRanking({ period, sort, street, theme, zone, limit, offset } = {}) {
  return get(`${BASE}/rankings/buildings`, { query: { period, sort, street, theme, zone, limit, offset } })
}

/** GET /buildings/{code}?period= → a building's KPIs, monthly series on both bases, 特色 verdict. */
export function getBuildingMetrics(code, { period } = {}) {
  return get(`${BASE}/buildings/${encodeURIComponent(code)}`, { query: { period } })
}

/** GET /buildings/{code}/enterprises?period= → the building's tenants with their tax. */
export function getBuildingEnterprises(code, { period } = {}) {
  return get(`${BASE}/buildings/${encodeURIComponent(code)}/enterprises`, { query: { period } })
}

/**
 * GET /warnings?street=&active=true → a street's active warnings and 数据完整性 reminders
 * (reminders after the warnings): {items: [WarningRead], total, page, page_size}.
 */
export function listWarnings({ street, active = true, page = 1, pageSize = 100 } = {}) {
  return get(`${BASE}/warnings`, { query: { street, active, page, page_size: pageSize } })
}

/** GET /sync → how far the read model is behind the registry. */
export function getSync() {
  return get(`${BASE}/sync`)
}

// ---------------------------------------------------------------------------
// Facts: the bureau's upload of tax / statistics figures (the same checks as the API's batches).

export const FACT_SOURCES = Object.freeze([
  { value: 'tax_bureau', label: '税务局' },
  { value: 'statistics_bureau', label: '统计局' },
  { value: 'manual', label: '手工整理' },
])

/**
 * POST /facts/upload?dry_run=&source= multipart `file` (.xlsx or CSV, the template's columns) →
 * {file_name, source, dry_run, applied, rows_total, accepted, created, updated, unchanged,
 *  rejected_count, rejected: [{row, field, message}], aggregate_rows, unregistered_count,
 *  unregistered: [credit codes], batch_id}. A file with any rejected row is never stored.
 */
export function uploadFacts(file, { dryRun, source }) {
  const form = new FormData()
  form.append('file', file, file.name)
  return upload(`${BASE}/facts/upload`, form, { query: { dry_run: dryRun, source }, timeout: 180_000 })
}

/** GET /facts/upload/template?format=xlsx|csv → {blob, filename}. */
export function downloadFactsTemplate(format) {
  return download(`${BASE}/facts/upload/template`, { query: { format } })
}

/** GET /facts/batches?page=&page_size= → {items: [batch summaries], total}, newest first. */
export function listFactBatches({ page = 1, pageSize = 20 } = {}) {
  return get(`${BASE}/facts/batches`, { query: { page, page_size: pageSize } })
}

/**
 * GET /unregistered-taxpayers?year=&page=&page_size= → 在税不在册, largest tax first:
 * {items: [{credit_code, tax_total, months, first_period, last_period, first_seen_at, last_seen_at}], total, tax_total}.
 */
export function listUnregistered({ year, page = 1, pageSize = 50 } = {}) {
  return get(`${BASE}/unregistered-taxpayers`, { query: { year, page, page_size: pageSize } })
}
