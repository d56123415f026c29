import { del, download, get, post, upload } from '../api/http.js'

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

/** DELETE /plans/{id} → 204: a wrong import, with its tasks, timeline and notices (区商务局). */
export function deletePlan(id) {
  return del(`${TASKS}/plans/${encodeURIComponent(id)}`)
}

/** GET /plans/{id}/tree → [TreeNode]: 分组 → 任务 → 子任务 / 节点, with progress and light (a group takes its worst). */
export function planTree(id) {
  return get(`${TASKS}/plans/${encodeURIComponent(id)}/tree`)
}

/** GET /tasks?plan&unit&role&phase&status&light&kind&parent&q&sort&page&page_size → {items: [TaskSummary], total} */
export function listTasks(query, { signal } = {}) {
  return get(`${TASKS}/tasks`, { query, signal })
}

/** GET /tasks/mine?status&light&sort… → the tasks of the caller's unit(s), by due date. */
export function myTasks(query, { signal } = {}) {
  return get(`${TASKS}/tasks/mine`, { query, signal })
}

/** GET /tasks/{id} → the task with its units, light, and what the caller may do. */
export function getTask(id) {
  return get(`${TASKS}/tasks/${encodeURIComponent(id)}`)
}

/** GET /tasks/{id}/updates → {items: [TimelineEntry], total} (oldest first; append-only). */
export function taskTimeline(id) {
  return get(`${TASKS}/tasks/${encodeURIComponent(id)}/updates`, { query: { page_size: 200 } })
}

/** POST /tasks/{id}/updates {progress?, status?, text} → 201, the task as it now is. */
export function postTaskUpdate(id, { progress, status, text }) {
  const body = { text: text || '' }
  if (progress !== undefined && progress !== null) body.progress = progress
  if (status) body.status = status
  return post(`${TASKS}/tasks/${encodeURIComponent(id)}/updates`, body)
}

/** POST /tasks/{id}/attachments (multipart: file, text) → 201 (image or PDF, type checked by content). */
export function uploadAttachment(id, file, text = '') {
  const form = new FormData()
  form.append('file', file, file.name)
  if (text) form.append('text', text)
  return upload(`${TASKS}/tasks/${encodeURIComponent(id)}/attachments`, form, { timeout: 60_000 })
}

/** GET /goals → {items, total} */
export function listGoals() {
  return get(`${TASKS}/goals`)
}

/** GET /tasks/{id}/attachments/{attachment_id} (needs the sign-in token) → {blob, filename}. */
export function attachmentFile(taskId, attachmentId) {
  return download(`${TASKS}/tasks/${encodeURIComponent(taskId)}/attachments/${encodeURIComponent(attachmentId)}`)
}

/** GET /tasks/{id}/parts → 责任分解: each unit's part (duty, progress, light, last report, next due date), the cycle and due dates. */
export function taskParts(id) {
  return get(`${TASKS}/tasks/${encodeURIComponent(id)}/parts`)
}

/** POST /parts/{id}/reports {progress?, status?, text} → 201, the task's parts as they now are (own unit's part only). */
export function postPartReport(partId, { progress, status, text }) {
  const body = { text: text || '' }
  if (progress !== undefined && progress !== null) body.progress = progress
  if (status) body.status = status
  return post(`${TASKS}/parts/${encodeURIComponent(partId)}/reports`, body)
}

/** POST /parts/{id}/attachments (multipart: file, text) → 201, an image or PDF with the part's report. */
export function uploadPartAttachment(partId, file, text = '') {
  const form = new FormData()
  form.append('file', file, file.name)
  if (text) form.append('text', text)
  return upload(`${TASKS}/parts/${encodeURIComponent(partId)}/attachments`, form, { timeout: 60_000 })
}

/** POST /tasks/{id}/complete → the lead unit confirms the task complete (every part at 100%). */
export function confirmTask(id) {
  return post(`${TASKS}/tasks/${encodeURIComponent(id)}/complete`, {})
}
