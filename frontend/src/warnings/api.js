import { get, post } from '../api/http.js'

/** 预警 (metrics): the list with its filters, one warning with its 处置 notes, a new note, the rules. */
const BASE = '/api/metrics/warnings'

/** GET /warnings?level=&rule=&street=&active=&page=&page_size= → {items, total, page, page_size}, most severe first. */
export function listWarnings({ level, rule, street, active, page, page_size: pageSize } = {}) {
  return get(BASE, { query: { level, rule, street, active, page, page_size: pageSize } })
}

/** GET /warnings/{id} → the warning and its notes (who looked, what was done). */
export function getWarning(id) {
  return get(`${BASE}/${encodeURIComponent(id)}`)
}

/** POST /warnings/{id}/notes {kind, text} → the note (区商务局; a street for its own warnings). */
export function addWarningNote(id, body) {
  return post(`${BASE}/${encodeURIComponent(id)}/notes`, body)
}

/** GET /warnings/rules → [{code, name, level, level_name, …}] */
export function listRules() {
  return get(`${BASE}/rules`)
}

/** GET /warnings/levels → {severe, major, minor} */
export function levelCounts() {
  return get(`${BASE}/levels`)
}
