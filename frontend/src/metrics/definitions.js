/**
 * The 指标口径 catalogue (GET /api/metrics/definitions), loaded once per session and shared by
 * every (?) next to a figure (KpiHelp.vue) and the 指标口径 page.
 */
import { get } from '../api/http.js'

let loading = null

/** GET /definitions → {items: [{code, name, category, formula, numerator, denominator, inclusions, unit, period_kind, period, sources, note}], total} */
export function getDefinitions() {
  return get('/api/metrics/definitions')
}

/** The catalogue as a Map code → definition (one request, kept; retried after a failure). */
export function loadDefinitions() {
  if (!loading) {
    loading = getDefinitions()
      .then((body) => new Map(body.items.map((d) => [d.code, d])))
      .catch((error) => {
        loading = null
        throw error
      })
  }
  return loading
}

/** Forget the loaded catalogue (tests; a new session). */
export function resetDefinitions() {
  loading = null
}

/** The catalogue's categories in order, each with its definitions: [{category, items}]. */
export function byCategory(items) {
  const groups = new Map()
  for (const d of items) {
    if (!groups.has(d.category)) groups.set(d.category, [])
    groups.get(d.category).push(d)
  }
  return [...groups].map(([category, list]) => ({ category, items: list }))
}
