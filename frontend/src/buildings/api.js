import { del, download, get, ifMatch, patch, post } from '../api/http.js'

/** Buildings (一楼一档) in the registry service. */
const BASE = '/api/registry/buildings'
const one = (code) => `${BASE}/${encodeURIComponent(code)}`

/** GET /buildings?q&street&stage&theme&zone&chief&area_min&area_max&sort&page&page_size → {items, total, page, page_size} */
export function listBuildings(query, { signal } = {}) {
  return get(BASE, { query, signal })
}

/** GET /buildings/{code} → the whole record, with `version` and `vacancy`. */
export function getBuilding(code) {
  return get(one(code))
}

/** POST /buildings → 201, the new record (its code assigned by the server). */
export function createBuilding(body) {
  return post(BASE, body)
}

/** PATCH /buildings/{code}: only the changed fields, If-Match the version read. */
export function updateBuilding(code, changes, version) {
  return patch(one(code), changes, { headers: ifMatch(version) })
}

/** DELETE /buildings/{code} → 204. */
export function deleteBuilding(code, version) {
  return del(one(code), { headers: ifMatch(version) })
}

/** POST /buildings/{code}/contacts/reveal → {chief_phone, liaison_phone} unmasked (audited by the server). */
export function revealContacts(code) {
  return post(`${one(code)}/contacts/reveal`)
}

/** GET /buildings/{code}/history → [{at, actor, op, changes: [{field, label, old, new}]}], newest first. */
export function buildingHistory(code) {
  return get(`${one(code)}/history`)
}

/** GET /exports/buildings?format=xlsx|csv → {blob, filename}. */
export function exportBuildings(format) {
  return download('/api/registry/exports/buildings', { query: { format } })
}

/** GET /api/auth/chiefs?street&q → {items: [{username, display_name, street_codes}], total}: 楼长 to pick from. */
export function listChiefs({ street, q } = {}) {
  return get('/api/auth/chiefs', { query: { street, q } })
}
