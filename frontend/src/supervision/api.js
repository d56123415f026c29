import { get, ifMatch, post } from '../api/http.js'

/** 督办 notices in the tasks service. */
const TASKS = '/api/tasks'

/** GET /notices?status&unit&light&level&task_id&page&page_size → {items, total} */
export function listNotices(query, { signal } = {}) {
  return get(`${TASKS}/notices`, { query, signal })
}

/** POST /notices {task_id, unit_codes?, reason, respond_by?} → 201, the notices issued (one per unit). */
export function issueNotice(body) {
  return post(`${TASKS}/notices`, body)
}

/** POST /notices/{id}/respond {response} (the unit's answer). */
export function respondNotice(id, body, version) {
  return post(`${TASKS}/notices/${encodeURIComponent(id)}/respond`, body, { headers: version ? ifMatch(version) : undefined })
}

/** POST /notices/{id}/close {note} (the bureau accepts the answer). */
export function closeNotice(id, body, version) {
  return post(`${TASKS}/notices/${encodeURIComponent(id)}/close`, body, { headers: version ? ifMatch(version) : undefined })
}

/** POST /notices/{id}/escalate {reason} (one level up). */
export function escalateNotice(id, body, version) {
  return post(`${TASKS}/notices/${encodeURIComponent(id)}/escalate`, body, { headers: version ? ifMatch(version) : undefined })
}
