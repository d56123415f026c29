import { get, post } from '../api/http.js'

/** 招商共享中心 in the tasks service. */
const BASE = '/api/tasks/centres'
const one = (id) => `${BASE}/${encodeURIComponent(id)}`

/** GET /centres → {items, total, rates} (入驻率 and 转化率 per centre and in all). */
export function listCentres() {
  return get(BASE)
}

/** GET /centres/{id} → the centre with its stays. */
export function getCentre(id) {
  return get(one(id))
}

/** POST /centres → 201 (区商务局). */
export function createCentre(body) {
  return post(BASE, body)
}

/** POST /centres/{id}/stays → 201 */
export function addStay(id, body) {
  return post(`${one(id)}/stays`, body)
}

/** POST /centres/{id}/stays/{stay}/end {end_date} */
export function endStay(id, stayId, endDate) {
  return post(`${one(id)}/stays/${encodeURIComponent(stayId)}/end`, { end_date: endDate })
}
