import { download, get, post } from '../api/http.js'

/** 工作简报 in the tasks service. */
const BASE = '/api/tasks/bulletins'
const one = (id) => `${BASE}/${encodeURIComponent(id)}`

/** GET /bulletins → {items: [{id, year, issue_no, period, title, metrics_available, created_by, created_at}], total} */
export function listBulletins(query) {
  return get(BASE, { query })
}

/** POST /bulletins {period} → 201, the issued bulletin (its figures frozen at issue). */
export function createBulletin(body) {
  return post(BASE, body, { timeout: 60_000 })
}

/** GET /bulletins/{id}.html → the printable HTML, as text. */
export async function bulletinHtml(id) {
  const { blob } = await download(`${one(id)}.html`, { headers: { Accept: 'text/html' } })
  return blob.text()
}

/** GET /bulletins/{id}.docx → {blob, filename}. */
export function bulletinDocx(id) {
  return download(`${one(id)}.docx`, { timeout: 60_000 })
}

/** GET /bulletins/{id}/recipients → [{id, name, email, sends: [{method, method_label, status, note, recorded_by, recorded_at}]}] */
export function listRecipients(id) {
  return get(`${one(id)}/recipients`)
}

/** POST /bulletins/{id}/sends {recipient_id, method: 'outbox'|'printed', note} → the recipients again. */
export function recordSend(id, body) {
  return post(`${one(id)}/sends`, body)
}
