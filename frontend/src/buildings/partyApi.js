import { get, ifMatch, put } from '../api/http.js'

/** 党建 of a building (registry). */
const one = (code) => `/api/registry/buildings/${encodeURIComponent(code)}/party`

/** GET /buildings/{code}/party → PartyRead (version 0 when nothing is recorded yet). */
export function getParty(code) {
  return get(one(code))
}

/** PUT /buildings/{code}/party, If-Match the version read ("0" the first time). */
export function saveParty(code, body, version) {
  return put(one(code), body, { headers: ifMatch(version) })
}

/** GET /party/summary → counts over my buildings (the cockpit's 党建 panel). */
export function partySummary(query = {}) {
  return get('/api/registry/party/summary', { query })
}

export const ORGANISATIONS = Object.freeze([
  { value: 'joint_committee', label: '楼宇联合党委' },
  { value: 'branch', label: '党支部' },
  { value: 'none', label: '无' },
])
