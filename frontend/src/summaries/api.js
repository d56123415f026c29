import { download, get, post, put } from '../api/http.js'

/** 总结验收 and the 办理情况报告 in the tasks service. */
const plan = (id) => `/api/tasks/plans/${encodeURIComponent(id)}`
const unit = (planId, code) => `${plan(planId)}/summaries/${encodeURIComponent(code)}`

/** GET /plans/{id}/summaries → {phase_name, due_date, items: [{unit_code, unit_name, status, status_name, …}], counts, all_accepted} */
export function summariesOverview(planId) {
  return get(`${plan(planId)}/summaries`)
}

/** GET /plans/{id}/summaries/{unit} → the summary with the unit's tasks and self-assessment. */
export function getSummary(planId, code) {
  return get(unit(planId, code))
}

/** PUT /plans/{id}/summaries/{unit} {text, assessments: [{task_id, rating, note}]} → saved draft. */
export function saveSummary(planId, code, body) {
  return put(unit(planId, code), body)
}

/** POST …/submit (the unit) · …/return {comment} · …/accept {comment} (区商务局). */
export function summaryAction(planId, code, action, body) {
  return post(`${unit(planId, code)}/${action}`, body ?? {})
}

/** GET /plans/{id}/report.html → the draft as printable HTML (text). */
export async function reportHtml(planId, { redHead = false } = {}) {
  const { blob } = await download(`${plan(planId)}/report.html`, {
    query: { red_head: redHead },
    headers: { Accept: 'text/html' },
    timeout: 60_000,
  })
  return blob.text()
}

/** GET /plans/{id}/report.docx → {blob, filename} (the draft). */
export function reportDocx(planId, { redHead = false } = {}) {
  return download(`${plan(planId)}/report.docx`, { query: { red_head: redHead }, timeout: 60_000 })
}

/** POST /plans/{id}/report/issues → 201 {id, version_no, …} (区商务局; all summaries accepted). */
export function issueReport(planId) {
  return post(`${plan(planId)}/report/issues`, {}, { timeout: 60_000 })
}

/** GET /plans/{id}/report/issues → {items: [{id, version_no, title, issued_by, issued_at}], total} */
export function reportIssues(planId) {
  return get(`${plan(planId)}/report/issues`)
}

/** GET /report-issues/{id}.html → text; GET /report-issues/{id}.docx → {blob, filename} */
export async function issuedHtml(id, { redHead = false } = {}) {
  const { blob } = await download(`/api/tasks/report-issues/${encodeURIComponent(id)}.html`, {
    query: { red_head: redHead },
    headers: { Accept: 'text/html' },
  })
  return blob.text()
}

export function issuedDocx(id, { redHead = false } = {}) {
  return download(`/api/tasks/report-issues/${encodeURIComponent(id)}.docx`, { query: { red_head: redHead } })
}
