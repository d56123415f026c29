import { get, post } from '../api/http.js'

/** 督办 notices in the tasks service. */
const BASE = '/api/tasks/supervision/notices'
const one = (id) => `${BASE}/${encodeURIComponent(id)}`

/** GET /supervision/notices?status&unit&level&task&mine&page&page_size → {items: [NoticeRead], total} */
export function listNotices(query, { signal } = {}) {
  return get(BASE, { query, signal })
}

/** POST /supervision/notices {task_id, unit_code?, level?, reason, respond_by?} → 201 (yellow / red tasks only). */
export function issueNotice(body) {
  return post(BASE, body)
}

/** POST /supervision/notices/{id}/response {response}: the unit answers. */
export function respondNotice(id, body) {
  return post(`${one(id)}/response`, body)
}

/** POST /supervision/notices/{id}/close {note}: the bureau accepts the answer. */
export function closeNotice(id, body) {
  return post(`${one(id)}/close`, body)
}

/** POST /supervision/notices/{id}/escalate: 提醒 → 督办 → 通报. */
export function escalateNotice(id) {
  return post(`${one(id)}/escalate`)
}

/** GET /supervision/open-by-unit → [{unit_code, unit_name, open, responded, overdue, max_level}] */
export function openByUnit() {
  return get('/api/tasks/supervision/open-by-unit')
}

/** POST /supervision/run → {run_date, issued, escalated}: the daily rule now (twice a day issues nothing new). */
export function runRule() {
  return post('/api/tasks/supervision/run')
}
