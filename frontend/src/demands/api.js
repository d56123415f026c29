import { get, ifMatch, post } from '../api/http.js'

/** 企业诉求 in the tasks service. */
const BASE = '/api/tasks/demands'
const one = (id) => `${BASE}/${encodeURIComponent(id)}`

/** GET /demands?status&category&unit&street&building&overdue&q&page&page_size → {items, total} */
export function listDemands(query, { signal } = {}) {
  return get(BASE, { query, signal })
}

/** GET /demands/{id} → DemandRead with its steps. */
export function getDemand(id) {
  return get(one(id))
}

/** POST /demands → 201 */
export function createDemand(body) {
  return post(BASE, body)
}

/** GET /demand-categories → [{code, name, days}] */
export function demandCategories() {
  return get('/api/tasks/demand-categories')
}

/**
 * A step of the lifecycle: assign {unit, note} · start {note} · answer {answer} ·
 * close {satisfaction, note} · reopen {reason}. POST /demands/{id}/{action}.
 */
export function demandAction(id, action, body, version) {
  return post(`${one(id)}/${action}`, body, { headers: version ? ifMatch(version) : undefined })
}

/** POST /demands/{id}/contact/reveal → {contact_name, contact_phone} (audited). */
export function revealDemandContact(id) {
  return post(`${one(id)}/contact/reveal`)
}
