/**
 * Helpers of the 问数 answer view (pure, tested in reading.test.js).
 */

/** The status of an answer as a clerk reads it. */
export const STATUS_TEXT = Object.freeze({
  answered: '已回答',
  unknown: '没有读懂',
  ambiguous: '请选择',
  out_of_data: '无此数据',
  refused: '超出权限',
  tasks: '任务类问题',
})

/** What to type when editing a part of the reading (shown as the input's placeholder). */
export const PART_HINTS = Object.freeze({
  metric: '如：区级税收、入驻率、空置率、亿元楼宇',
  entity: '如：中交大厦、积玉桥街道、全区、滨江商务区',
  period: '如：去年、2025年3月、一季度、上半年、近12个月',
  compare: '如：同比，或“不比较”',
  filter: '如：超过30%、低于1亿元',
  intent: '如：取数、计数、列表、排名、逐月走势',
})

/** The question kinds we offer as examples when the box is empty. */
export const EXAMPLES = Object.freeze([
  '中交大厦今年税收同比多少',
  '今年积玉桥街道有几栋亿元楼宇',
  '哪些楼宇空置率超过30%',
  '各街道税收排名',
])

/** The reading as one line: "指标：全口径税收；楼宇：中交大厦；期间：2025年1-11月；比较：同比". */
export function readingLine(parts) {
  return (parts || []).map((p) => `${p.label}：${p.value}`).join('；')
}

/**
 * Edits to send after the user changed one part: the earlier edits plus this one (an empty
 * text removes that part's edit; "不比较" clears the comparison).
 */
export function withEdit(edits, key, text) {
  const next = { ...(edits || {}) }
  const value = (text || '').trim()
  if (!value) delete next[key]
  else next[key] = value
  return next
}

/** The query string of the ask page for a question (and its edits). */
export function askQuery(question, edits) {
  const query = { q: question }
  if (edits && Object.keys(edits).length) query.edits = JSON.stringify(edits)
  return query
}

/** Edits read back from the ask page's query string (bad JSON → no edits). */
export function editsFromQuery(raw) {
  if (!raw) return {}
  try {
    const parsed = JSON.parse(raw)
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {}
    return Object.fromEntries(Object.entries(parsed).filter(([k, v]) => k in PART_HINTS && typeof v === 'string'))
  } catch {
    return {}
  }
}
