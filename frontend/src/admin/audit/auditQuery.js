import { formatDateTime } from '../../utils/format.js'

/**
 * The audit log's dates are days in China (the auditor thinks "3月5日", whatever the
 * browser's zone); the API takes moments: [起始日 00:00, 截止日的次日 00:00) Beijing time.
 */
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/** "2026-03-05" → "2026-03-05T00:00:00+08:00" ('' for no date). */
export function chinaDayStart(day) {
  if (!day || !DAY.test(day)) return ''
  return `${day}T00:00:00+08:00`
}

/** "2026-03-05" → "2026-03-06T00:00:00+08:00": the end of that day, exclusive. */
export function chinaDayEnd(day) {
  const m = DAY.exec(day || '')
  if (!m) return ''
  const next = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + 1))
  const pad = (n) => String(n).padStart(2, '0')
  return `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}T00:00:00+08:00`
}

/**
 * The list's state (see listQuery.js) → the API's filters: dates become moments, the
 * rest passes as is. Paging only when asked (the export takes every matching row).
 */
export function auditApiQuery(state, { paging = true } = {}) {
  const query = {
    actor: (state.actor || '').trim(),
    action: state.action || '',
    result: state.result || '',
    since: chinaDayStart(state.from),
    until: chinaDayEnd(state.to),
  }
  if (paging) Object.assign(query, { page: state.page, page_size: state.page_size })
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== '' && v !== null && v !== undefined))
}

/** '' when the range is fine, else the message for 截止日期. */
export function rangeProblem(from, to) {
  if (from && to && to < from) return '截止日期不能早于起始日期'
  return ''
}

/**
 * A moment of the audit trail to the second, in China time: "2026年3月5日 14:30:15".
 * A date without a time is not a moment of the trail: "—".
 */
export function formatAuditTime(value) {
  if (!value || (typeof value === 'string' && !value.includes('T'))) return '—'
  return formatDateTime(value, { seconds: true })
}

/** "client:lyc_…" is a bureau system; anything else a person. */
export function actorKindLabel(kind, actor) {
  if (kind === 'client' || String(actor || '').startsWith('client:')) return '机器客户端'
  if (kind === 'user' || actor) return '用户'
  return ''
}

export const RESULT_OPTIONS = Object.freeze([
  { value: 'success', label: '成功' },
  { value: 'failure', label: '失败' },
])
