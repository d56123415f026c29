import { del, get, post } from '../api/http.js'

/**
 * 问数 (/api/metrics/ask): a question in Chinese → how it was read, the answer, its 口径 and a
 * link; the asker's history; for the bureau the unanswered questions and the synonyms.
 */
const BASE = '/api/metrics/ask'

/** POST /ask {question, edits, record} → {status, reading, parts, text, figures, table, definitions, link, …} */
export function askQuestion(question, { edits = {}, record = true, signal } = {}) {
  return post(BASE, { question, edits, record }, { signal })
}

/** GET /ask/history → {items: my questions, newest first, total} */
export function getHistory(limit = 20) {
  return get(`${BASE}/history`, { query: { limit } })
}

/** GET /ask/unanswered → {items, total} (区商务局、区领导) */
export function getUnanswered(limit = 50) {
  return get(`${BASE}/unanswered`, { query: { limit } })
}

/** GET /ask/synonyms → {items: [{id, word, kind, code, meaning}], total} */
export function getSynonyms() {
  return get(`${BASE}/synonyms`)
}

/** POST /ask/synonyms {word, kind, code} (区商务局); applies to the next question. */
export function addSynonym(data) {
  return post(`${BASE}/synonyms`, data)
}

/** DELETE /ask/synonyms/{id} (区商务局) */
export function deleteSynonym(id) {
  return del(`${BASE}/synonyms/${encodeURIComponent(id)}`)
}

/** POST /api/tasks/ask {question} → the same shape, for task questions (metrics answers status "tasks"). */
export function askTasks(question, { signal } = {}) {
  return post('/api/tasks/ask', { question }, { signal })
}
