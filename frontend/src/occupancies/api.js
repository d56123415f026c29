import { del, get, ifMatch, patch, post } from '../api/http.js'

/** Occupancy (入驻): which enterprise sits in which building, on what area, from when to when. */
const REGISTRY = '/api/registry'
const one = (id) => `${REGISTRY}/occupancies/${encodeURIComponent(id)}`

/** GET /buildings/{code}/tenants?on=YYYY-MM-DD → the tenants on that day (today when `on` is empty). */
export function listTenants(buildingCode, on) {
  return get(`${REGISTRY}/buildings/${encodeURIComponent(buildingCode)}/tenants`, { query: { on } })
}

/** GET /buildings/{code}/occupancies → every occupancy of the building, current and past, newest first. */
export function listBuildingOccupancies(buildingCode) {
  return get(`${REGISTRY}/buildings/${encodeURIComponent(buildingCode)}/occupancies`)
}

/** GET /enterprises/{credit_code}/occupancies */
export function listEnterpriseOccupancies(creditCode) {
  return get(`${REGISTRY}/enterprises/${encodeURIComponent(creditCode)}/occupancies`)
}

/** POST /occupancies {credit_code, building_code, spaces: [{id, area?}], area?, start_date, end_date?, note?} → 201 (入驻). */
export function moveIn(body) {
  return post(`${REGISTRY}/occupancies`, body)
}

/** POST /occupancies/{id}/end {end_date} (迁出). */
export function moveOut(id, endDate, version) {
  return post(`${one(id)}/end`, { end_date: endDate }, { headers: ifMatch(version) })
}

/**
 * POST /occupancies/{id}/move {to_building_code, spaces, area?, move_date} (迁移): the old
 * occupancy ends the day before `move_date`; 201 with the new occupancy.
 */
export function moveTo(id, body, version) {
  return post(`${one(id)}/move`, body, { headers: ifMatch(version) })
}

/** PATCH /occupancies/{id} */
export function updateOccupancy(id, changes, version) {
  return patch(one(id), changes, { headers: ifMatch(version) })
}

/** DELETE /occupancies/{id} → 204 (a record entered by mistake; a real move-out is moveOut). */
export function deleteOccupancy(id, version) {
  return del(one(id), { headers: ifMatch(version) })
}

/** GET /occupancies/{id}/history */
export function occupancyHistory(id) {
  return get(`${one(id)}/history`)
}
