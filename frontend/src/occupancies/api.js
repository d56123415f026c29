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

// ----- 入驻申请 (待确认): another street's enterprise, moved in only once the bureau confirms -----

const PROPOSALS = `${REGISTRY}/occupancy-proposals`

/** The server's answer when the enterprise is not the caller's to move in: propose it instead. */
export const NEEDS_CONFIRMATION = 'NeedsConfirmation'

/** POST /occupancy-proposals (the same body as moveIn) → 201 {id, status: 'pending', …}. */
export function proposeMoveIn(body) {
  return post(PROPOSALS, body)
}

/** GET /occupancy-proposals?status=pending|confirmed|rejected&page=&page_size= → a page. */
export function listProposals({ status, page = 1, page_size = 50 } = {}) {
  return get(PROPOSALS, { query: { status, page, page_size } })
}

/** POST /occupancy-proposals/{id}/confirm (区商务局) → the proposal, now confirmed, with its occupancy_id. */
export function confirmProposal(id) {
  return post(`${PROPOSALS}/${encodeURIComponent(id)}/confirm`)
}

/** POST /occupancy-proposals/{id}/reject {reason} (区商务局). */
export function rejectProposal(id, reason) {
  return post(`${PROPOSALS}/${encodeURIComponent(id)}/reject`, { reason })
}

/**
 * 迁入, or — when the enterprise belongs to another street (the server answers 403
 * NeedsConfirmation) — the same move-in filed as a 入驻申请 for the bureau to confirm.
 * @returns {Promise<{proposed: boolean, record: object}>}
 */
export async function moveInOrPropose(body) {
  try {
    return { proposed: false, record: await moveIn(body) }
  } catch (e) {
    if (e?.status !== 403 || e?.type !== NEEDS_CONFIRMATION) throw e
    return { proposed: true, record: await proposeMoveIn(body) }
  }
}
