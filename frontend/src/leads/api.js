import { get, ifMatch, patch, post } from '../api/http.js'

/** 招商线索 in the tasks service. */
const BASE = '/api/tasks/leads'
const one = (id) => `${BASE}/${encodeURIComponent(id)}`

/** GET /leads?stage&street&building&unit&q&visit_id&page&page_size → {items, total} */
export function listLeads(query, { signal } = {}) {
  return get(BASE, { query, signal })
}

/** GET /leads/{id} → LeadRead with its steps. */
export function getLead(id) {
  return get(one(id))
}

/** POST /leads → 201 */
export function createLead(body) {
  return post(BASE, body)
}

/** PATCH /leads/{id}, If-Match the version read. */
export function updateLead(id, changes, version) {
  return patch(one(id), changes, { headers: ifMatch(version) })
}

/** POST /leads/{id}/stage {stage, step_date, note} */
export function moveLead(id, body, version) {
  return post(`${one(id)}/stage`, body, { headers: ifMatch(version) })
}

/** POST /leads/{id}/contact/reveal → {contact_name, contact_phone} unmasked (audited). */
export function revealLeadContact(id) {
  return post(`${one(id)}/contact/reveal`)
}

/** GET /leads/{id}/matches → {lead_id, has_needs, threshold, items: [{space_id, building_name, floor, unit, area, score, reasons}]} */
export function getLeadMatches(id) {
  return get(`${one(id)}/matches`)
}

/** GET /spaces/{id}/leads → {space_id, available, threshold, items: [{lead_id, company_name, score, reasons, readable}]} */
export function getSpaceLeads(spaceId) {
  return get(`/api/tasks/spaces/${encodeURIComponent(spaceId)}/leads`)
}
