import { del, get, ifMatch, patch, post } from '../api/http.js'

/** 楼宇活动 in the tasks service. */
const BASE = '/api/tasks/events'

/** GET /events/calendar?month=YYYY-MM → {month, start_date, end_date, items, total} */
export function eventMonth(month, { signal } = {}) {
  return get(`${BASE}/calendar`, { query: { month }, signal })
}

/** GET /events/stats?year → {year, total, by_kind, by_street, by_unit} */
export function eventStats(year) {
  return get(`${BASE}/stats`, { query: { year } })
}

/** POST /events → 201 EventRead */
export function createEvent(body) {
  return post(BASE, body)
}

/** DELETE /events/{id} → 204 */
export function deleteEvent(id) {
  return del(`${BASE}/${encodeURIComponent(id)}`)
}

/** PATCH /events/{id}, If-Match the version read: attendance, outcomes, summary after the event. */
export function updateEvent(id, changes, version) {
  return patch(`${BASE}/${encodeURIComponent(id)}`, changes, { headers: ifMatch(version) })
}
