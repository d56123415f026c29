import { del, download, get, ifMatch, patch, post } from '../api/http.js'

/** Enterprises (一企一档), keyed by 统一社会信用代码. */
const BASE = '/api/registry/enterprises'
const one = (creditCode) => `${BASE}/${encodeURIComponent(creditCode)}`

/** GET /enterprises?q&industry&street&building&registered&taxed&in_statistics&above_scale&page&page_size */
export function listEnterprises(query, { signal } = {}) {
  return get(BASE, { query, signal })
}

/** GET /enterprises/{credit_code} → the whole record with `version`. */
export function getEnterprise(creditCode) {
  return get(one(creditCode))
}

/**
 * POST /enterprises → 201. 409 names the enterprise already holding the code; 422 with
 * `fields[].field == "credit_code"` says why the code fails its check character (send
 * `check_override: true` and `override_reason` for a real code that fails it).
 */
export function createEnterprise(body) {
  return post(BASE, body)
}

/** PATCH /enterprises/{credit_code}, If-Match the version read. */
export function updateEnterprise(creditCode, changes, version) {
  return patch(one(creditCode), changes, { headers: ifMatch(version) })
}

/** DELETE /enterprises/{credit_code} → 204. */
export function deleteEnterprise(creditCode, version) {
  return del(one(creditCode), { headers: ifMatch(version) })
}

/** GET /enterprises/{credit_code}/history */
export function enterpriseHistory(creditCode) {
  return get(`${one(creditCode)}/history`)
}

/** GET /exports/enterprises?format=xlsx|csv → {blob, filename}. */
export function exportEnterprises(format) {
  return download('/api/registry/exports/enterprises', { query: { format } })
}

/** GET /api/metrics/enterprises/{credit_code}/figures?year → months of tax and revenue with 同比, and ytd. */
export function getEnterpriseFigures(creditCode, year) {
  return get(`/api/metrics/enterprises/${encodeURIComponent(creditCode)}/figures`, { query: year ? { year } : {} })
}

/** GET /api/metrics/enterprises/tax?codes → 全口径税收 this year to date and the same months last year. */
export function getEnterprisesTax(codes, { signal } = {}) {
  return get('/api/metrics/enterprises/tax', { query: { codes: codes.join(',') }, signal })
}

/** GET /api/tasks/enterprises/{credit_code}/record → {visits, demands, leads, policy_matches, applications,
 * deliveries, events, centre_stays} the caller may read. */
export function getEnterpriseRecord(creditCode) {
  return get(`/api/tasks/enterprises/${encodeURIComponent(creditCode)}/record`)
}
