import { del, download, get, ifMatch, patch, post } from '../api/http.js'

/** Spaces (房源: floors and units) of buildings, and the district's available space. */
const REGISTRY = '/api/registry'
const one = (id) => `${REGISTRY}/spaces/${encodeURIComponent(id)}`

/** GET /buildings/{code}/spaces → [{id, floor, unit, area, status, status_label, available_from, asking_rent, note, version}] */
export function listSpaces(buildingCode) {
  return get(`${REGISTRY}/buildings/${encodeURIComponent(buildingCode)}/spaces`)
}

/** POST /buildings/{code}/spaces → 201, the new space. */
export function createSpace(buildingCode, body) {
  return post(`${REGISTRY}/buildings/${encodeURIComponent(buildingCode)}/spaces`, body)
}

/** PATCH /spaces/{id}, If-Match the version read. */
export function updateSpace(id, changes, version) {
  return patch(one(id), changes, { headers: ifMatch(version) })
}

/** DELETE /spaces/{id} → 204. */
export function deleteSpace(id, version) {
  return del(one(id), { headers: ifMatch(version) })
}

/** GET /spaces/{id}/history */
export function spaceHistory(id) {
  return get(`${one(id)}/history`)
}

/** GET /spaces/available?street&building&area_min&area_max&available_before&page&page_size, ordered by availability. */
export function listAvailableSpaces(query, { signal } = {}) {
  return get(`${REGISTRY}/spaces/available`, { query, signal })
}

/** GET /spaces/available/export?format=xlsx|csv&…the same filters → {blob, filename}. */
export function exportAvailableSpaces(format, filters = {}) {
  return download(`${REGISTRY}/spaces/available/export`, { query: { ...filters, format } })
}
