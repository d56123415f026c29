import { download, get, ifMatch, post, request } from '../api/http.js'

/** Plans, tasks, their timeline and goals in the tasks service. */
const TASKS = '/api/tasks'

/**
 * POST /plans/import {text, save, plan?} → the whole parsed structure (ImportResult):
 * `save: false` previews (nothing stored); `plan` carries the corrections made in the preview.
 */
export function importPlan(body) {
  return post(`${TASKS}/plans/import`, body, { timeout: 60_000 })
}

/** GET /plans → {items: [PlanSummary], total} */
export function listPlans(query) {
  return get(`${TASKS}/plans`, { query })
}

/** GET /plans/{id} → PlanRead (units with duties, sections, phases, goals, warnings). */
export function getPlan(id) {
  return get(`${TASKS}/plans/${encodeURIComponent(id)}`)
}

/** GET /plans/{id}/tree → the plan's task tree with status, progress and light. */
export function planTree(id, query) {
  return get(`${TASKS}/plans/${encodeURIComponent(id)}/tree`, { query })
}

/** GET /tasks?plan_id&unit&phase&status&light&mine&q&page&page_size → {items, total} */
export function listTasks(query, { signal } = {}) {
  return get(`${TASKS}/tasks`, { query, signal })
}

/** GET /tasks/{id} → the task with its units, light, and what the caller may do. */
export function getTask(id) {
  return get(`${TASKS}/tasks/${encodeURIComponent(id)}`)
}

/** GET /tasks/{id}/updates → the timeline (oldest first). */
export function taskTimeline(id) {
  return get(`${TASKS}/tasks/${encodeURIComponent(id)}/updates`)
}

/**
 * POST /tasks/{id}/updates: progress, text and attachments (images / PDF) in one multipart
 * body → 201, the new timeline entry.
 */
export function postTaskUpdate(id, { progress, text, status, files = [] }, version) {
  const form = new FormData()
  if (progress !== undefined && progress !== null) form.append('progress', String(progress))
  if (status) form.append('status', status)
  form.append('text', text || '')
  for (const f of files) form.append('files', f, f.name)
  return request('POST', `${TASKS}/tasks/${encodeURIComponent(id)}/updates`, {
    formData: form,
    headers: version ? ifMatch(version) : undefined,
    timeout: 60_000,
  })
}

/** GET /goals → {items, total} */
export function listGoals() {
  return get(`${TASKS}/goals`)
}

/** An attachment of a timeline entry (the address needs the sign-in token) → {blob, filename}. */
export function attachmentFile(url) {
  return download(url)
}
