import { download, get, post } from '../api/http.js'

/** 扫楼 rounds and visits in the tasks service. */
const TASKS = '/api/tasks'

/** GET /visit-rounds → {items: [RoundRead], total} */
export function listRounds(query) {
  return get(`${TASKS}/visit-rounds`, { query })
}

/** POST /visit-rounds {name, start_date, end_date, note, street_codes?|building_codes?} → 201 */
export function createRound(body) {
  return post(`${TASKS}/visit-rounds`, body)
}

export function getRound(id) {
  return get(`${TASKS}/visit-rounds/${encodeURIComponent(id)}`)
}

/** GET /visit-rounds/{id}/coverage → {buildings, visited, rate, by_street, by_chief} */
export function roundCoverage(id) {
  return get(`${TASKS}/visit-rounds/${encodeURIComponent(id)}/coverage`)
}

/** GET /visit-rounds/{id}/buildings?visited=false → the buildings of the round not yet visited (or all). */
export function roundBuildings(id, query) {
  return get(`${TASKS}/visit-rounds/${encodeURIComponent(id)}/buildings`, { query })
}

/** GET /visits?round_id&building&street&chief&date_from&date_to&page&page_size → {items: [VisitSummary], total} */
export function listVisits(query, { signal } = {}) {
  return get(`${TASKS}/visits`, { query, signal })
}

/** GET /visits/{id} → VisitRead (space changes, tenants, leads, demands, photos). */
export function getVisit(id) {
  return get(`${TASKS}/visits/${encodeURIComponent(id)}`)
}

/** A photo of a visit as a file (the address needs the sign-in token, so not a plain <img src>). */
export function photoFile(url) {
  return download(url)
}
