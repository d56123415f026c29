import { download, get, patch, post, upload } from '../api/http.js'

/** 政策库, 精准推送, 送达, 申报与兑现 in the tasks service (tasks/policies). */
const T = '/api/tasks'
const one = (id) => `${T}/policies/${encodeURIComponent(id)}`

/** GET /policies?q&level&page&page_size → {items, total} */
export const listPolicies = (query, { signal } = {}) => get(`${T}/policies`, { query, signal })
export const getPolicy = (id) => get(one(id))
export const createPolicy = (body) => post(`${T}/policies`, body)
export const updatePolicy = (id, body) => patch(one(id), body)
/** GET /policies/{id}/matches → {items: [{name, reasons, buildings, delivered, applied}], buildings, rule} */
export const policyMatches = (id) => get(`${one(id)}/matches`)
/** POST /policies/{id}/push {building_codes?, due_date?} → {created, skipped, items} */
export const pushPolicy = (id, body = {}) => post(`${one(id)}/push`, body)
export const listPushes = (query) => get(`${T}/policy-pushes`, { query })
export const listDeliveries = (query) => get(`${T}/policy-deliveries`, { query })
export const recordDelivery = (id, body) => post(`${one(id)}/deliveries`, body)

export const listApplications = (query, { signal } = {}) => get(`${T}/policy-applications`, { query, signal })
export const createApplication = (body) => post(`${T}/policy-applications`, body)
export const updateApplication = (id, body) => patch(`${T}/policy-applications/${encodeURIComponent(id)}`, body)
/** GET /policy-applications/totals?year&coverage → 惠企资金 totals (by building, street, theme, policy) and 申报覆盖率 */
export const applicationTotals = (query) => get(`${T}/policy-applications/totals`, { query })
/** GET /policies/import/template → 政策库导入模板（xlsx，含层级下拉） */
export const policyImportTemplate = () => download(`${T}/policies/import/template`)

/** POST /policies/import?dry_run → {rows, created, updated, updates, problems, saved}; a 文号 already in the library updates that policy */
export function importPolicies(file, { dryRun = true } = {}) {
  const form = new FormData()
  form.append('file', file)
  return upload(`${T}/policies/import`, form, { query: { dry_run: dryRun }, timeout: 120_000 })
}

export const importTemplate = (format = 'xlsx') => download(`${T}/policy-applications/import/template`, { query: { format } })

/** POST /policy-applications/import?dry_run → {rows, created, updated, problems, saved} */
export function importApplications(file, { dryRun = true } = {}) {
  const form = new FormData()
  form.append('file', file)
  return upload(`${T}/policy-applications/import`, form, { query: { dry_run: dryRun }, timeout: 120_000 })
}
