import { get, patch } from '../api/http.js'

/** The plan's goals as metrics measures them (GET /api/metrics/goals). */
const BASE = '/api/metrics/goals'

/** GET /goals?year= → {items: [goal entry with progress], total, year, sync} */
export function listGoals(year) {
  return get(BASE, { query: { year } })
}

/** PATCH /goals/{id}/value {value, as_of, note} → the goal with its new progress (区商务局 only). */
export function enterGoalValue(id, { value, asOf, note }) {
  return patch(`${BASE}/${encodeURIComponent(id)}/value`, { value, as_of: asOf || null, note: note || '' })
}
