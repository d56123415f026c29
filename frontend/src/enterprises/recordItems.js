/**
 * 一企一档's policy and event lines (GET /api/tasks/enterprises/{credit_code}/record): the
 * Chinese words of the server's codes come from the policies' and events' own label maps,
 * dates and money from the shared formatters.
 */
import { EVENT_KINDS } from '../events/kinds.js'
import { appStatus } from '../policies/labels.js'
import { EMPTY, formatDate, formatMoney } from '../utils/format.js'

const DELIVERY_METHODS = { visit: '走访送达', other: '其他方式送达' }

/** An application's status as {label, type} (the policies' map; unknown codes never shown raw). */
export function applicationStatus(a) {
  return appStatus(a.status)
}

/** "申报 2025年4月1日 · 核定 12.00万元 · 兑现 2025年8月1日" (the parts known). */
export function applicationLine(a) {
  const parts = [`申报 ${formatDate(a.applied_on)}`]
  if (a.amount_granted !== null && a.amount_granted !== undefined) parts.push(`核定 ${formatMoney(a.amount_granted)}`)
  if (a.paid_on) parts.push(`兑现 ${formatDate(a.paid_on)}`)
  return parts.join(' · ')
}

/** "2025年8月1日 由 louzhang 走访送达" (the server's label when it names a method we do not know). */
export function deliveryLine(d) {
  const how = DELIVERY_METHODS[d.method] || d.method_label || '送达'
  return `${formatDate(d.delivered_on)} 由 ${d.delivered_by || EMPTY} ${how}`
}

/** An event's kind in Chinese (the events' map). */
export function eventKindLabel(kind) {
  return EVENT_KINDS.find((k) => k.value === kind)?.label || '其他活动'
}

/** "2025年6月18日 · 数创大厦 · 参加 40 人" (the place when not in a building; attendance when recorded). */
export function eventLine(e) {
  const parts = [formatDate(e.event_date), e.building_name || e.place || '地点未记录']
  if (e.attendance !== null && e.attendance !== undefined) parts.push(`参加 ${e.attendance} 人`)
  return parts.join(' · ')
}

/** "2023年3月1日 至 2023年12月31日 · 2 个工位" (至今 while hosted). */
export function stayLine(s) {
  const end = s.end_date ? formatDate(s.end_date) : '今'
  return `${formatDate(s.start_date)} 至 ${end} · ${s.desks} 个工位`
}
