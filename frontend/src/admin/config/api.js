import { del, get, ifMatch, patch, post, put } from '../../api/http.js'

/** The bureau's business configuration: the unit directory (tasks), 特色 and warning rules (metrics). */
const UNITS = '/api/tasks/units'
const METRICS = '/api/metrics'

/** GET /units?kind=&q=&active=&page=&page_size= → {items: [UnitSummary], total, page, page_size}. */
export function listUnits({ kind, q, active, page = 1, pageSize = 50 } = {}) {
  return get(UNITS, { query: { kind, q, active, page, page_size: pageSize } })
}

/** GET /units/{code} → UnitRead (aliases, members of a 统称, version for If-Match). */
export function getUnit(code) {
  return get(`${UNITS}/${encodeURIComponent(code)}`)
}

/** POST /units {code, name, short_name, kind, expands_kind?, sort_order, note, aliases} → 201 UnitRead. */
export function createUnit(body) {
  return post(UNITS, body)
}

/** PATCH /units/{code} with If-Match: the version read → UnitRead (412 when someone saved first). */
export function updateUnit(code, changes, version) {
  return patch(`${UNITS}/${encodeURIComponent(code)}`, changes, { headers: ifMatch(version) })
}

/** POST /units/{code}/aliases {alias} → 201 {id, alias} (409 when another unit has it). */
export function addAlias(code, alias) {
  return post(`${UNITS}/${encodeURIComponent(code)}/aliases`, { alias })
}

/** DELETE /units/{code}/aliases/{id} → 204. */
export function deleteAlias(code, aliasId) {
  return del(`${UNITS}/${encodeURIComponent(code)}/aliases/${encodeURIComponent(aliasId)}`)
}

/** POST /units/resolve {names} → [{written, matched_by, units: [{code, name}], warning}]. */
export function resolveNames(names) {
  return post(`${UNITS}/resolve`, { names })
}

/** GET /featured/rules → [RuleRead]: every theme's rule (is_default when never set). */
export function listThemeRules() {
  return get(`${METRICS}/featured/rules`)
}

/** PUT /featured/rules/{theme} {measure, threshold, min_gfa, tax_basis} → RuleRead. */
export function saveThemeRule(theme, body) {
  return put(`${METRICS}/featured/rules/${encodeURIComponent(theme)}`, body)
}

/** GET /warnings/rules → [WarningRuleRead]. */
export function listWarningRules() {
  return get(`${METRICS}/warnings/rules`)
}

/** PUT /warnings/rules {rules: [{code, enabled?, threshold?, top_n?, window_days?, min_base?}]} → [WarningRuleRead]. */
export function saveWarningRules(rules) {
  return put(`${METRICS}/warnings/rules`, { rules })
}

/** POST /warnings/evaluate → {raised, updated, resolved, active, evaluated_at}. */
export function evaluateWarnings() {
  return post(`${METRICS}/warnings/evaluate`, undefined, { timeout: 120_000 })
}
