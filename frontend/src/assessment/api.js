import { get, post } from '../api/http.js'

/** 绩效考核 in the tasks service. */
const BASE = '/api/tasks/assessment'

/** GET /assessment/scores?period&kind → {period, run_id, created_at, metrics_available, items: [{unit_code, unit_name, unit_kind, score, rank, breakdown: [...]}]} */
export function assessmentScores(query) {
  return get(`${BASE}/scores`, { query })
}

/** POST /assessment/runs {period} → 201, the run with its scores (computed now; supersedes an earlier run of the period). */
export function runAssessment(body) {
  return post(`${BASE}/runs`, body, { timeout: 60_000 })
}

/** GET /assessment/rules → [{target, weights, version, updated_by, updated_at}] */
export function assessmentRules() {
  return get(`${BASE}/rules`)
}
