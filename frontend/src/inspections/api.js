import { download, get, post, upload } from '../api/http.js'

/** 人大代表视察、座谈 and 整改意见 in the tasks service. */
const BASE = '/api/tasks/inspections'
const OPINIONS = '/api/tasks/opinions'
const share = (opinionId, assignmentId) => `${OPINIONS}/${encodeURIComponent(opinionId)}/assignments/${encodeURIComponent(assignmentId)}`

/** GET /inspections → {items: [{id, kind_name, held_on, title, deputies (masked), opinions, …}], total} */
export function listInspections(query) {
  return get(BASE, { query })
}

/** GET /inspections/{id} → the record with its opinions and each unit's share. */
export function getInspection(id) {
  return get(`${BASE}/${encodeURIComponent(id)}`)
}

/** POST /inspections {kind, held_on, title, deputies, …, opinions} → 201 (区商务局). */
export function createInspection(body) {
  return post(BASE, body)
}

/** POST /inspections/{id}/deputies/reveal → {deputies} (audited). */
export function revealDeputies(id) {
  return post(`${BASE}/${encodeURIComponent(id)}/deputies/reveal`, {})
}

/** POST /inspections/{id}/photos (multipart). */
export function uploadPhoto(id, file) {
  const form = new FormData()
  form.append('file', file)
  return upload(`${BASE}/${encodeURIComponent(id)}/photos`, form)
}

/** GET /opinions?mine=&status=&overdue= → {items, total} */
export function listOpinions(query) {
  return get(OPINIONS, { query })
}

/** GET /opinions/figures → {total, open, overdue, answered, closed, opinions, opinions_closed} */
export function opinionFigures() {
  return get(`${OPINIONS}/figures`)
}

/** POST …/answer {answer} (the unit) · …/confirm · …/send-back {reason} · …/urge {note} (区商务局). */
export function actOnShare(opinionId, assignmentId, action, body = {}) {
  return post(`${share(opinionId, assignmentId)}/${action}`, body)
}

/** POST …/evidence (multipart, the unit). */
export function uploadEvidence(opinionId, assignmentId, file) {
  const form = new FormData()
  form.append('file', file)
  return upload(`${share(opinionId, assignmentId)}/evidence`, form)
}

/** GET …/evidence/{fileId} → {blob, filename} */
export function evidenceFile(opinionId, assignmentId, fileId) {
  return download(`${share(opinionId, assignmentId)}/evidence/${encodeURIComponent(fileId)}`)
}
