/**
 * Periods as the metrics API writes them, and as a report reads them:
 *   "2025"      → 2025年（全年）
 *   "2025-YTD"  → 2025年1—9月累计   (through the last month with figures, when known)
 *   "2025-09-YTD" → 2025年1—9月累计 (the service's key for a year to date)
 *   "2025-Q2"   → 2025年第二季度
 *   "2025-06"   → 2025年6月
 */

export const PERIOD_KINDS = Object.freeze([
  { value: 'year', label: '全年' },
  { value: 'ytd', label: '年初至今' },
  { value: 'quarter', label: '季度' },
  { value: 'month', label: '月度' },
])

const QUARTER_NAMES = ['一', '二', '三', '四']

/**
 * "2025-Q2" → {kind: 'quarter', year: 2025, quarter: 2}; null for anything else.
 * @returns {{kind: 'year'|'ytd'|'quarter'|'month', year: number, quarter?: number, month?: number}|null}
 */
export function parsePeriod(text) {
  if (typeof text !== 'string') return null
  const s = text.trim().toUpperCase()
  let m = /^(\d{4})$/.exec(s)
  if (m) return { kind: 'year', year: Number(m[1]) }
  m = /^(\d{4})(?:-(\d{2}))?-YTD$/.exec(s)
  if (m) {
    if (!m[2]) return { kind: 'ytd', year: Number(m[1]) }
    const through = Number(m[2])
    return through >= 1 && through <= 12 ? { kind: 'ytd', year: Number(m[1]), through } : null
  }
  m = /^(\d{4})-Q([1-4])$/.exec(s)
  if (m) return { kind: 'quarter', year: Number(m[1]), quarter: Number(m[2]) }
  m = /^(\d{4})-(\d{2})$/.exec(s)
  if (m && Number(m[2]) >= 1 && Number(m[2]) <= 12) return { kind: 'month', year: Number(m[1]), month: Number(m[2]) }
  return null
}

/** {kind, year, quarter?, month?} → the API's period string ("2025-Q2"); null when incomplete. */
export function periodKey(p) {
  if (!p || !Number.isInteger(Number(p.year))) return null
  const year = Number(p.year)
  if (p.kind === 'year') return String(year)
  if (p.kind === 'ytd') return `${year}-YTD`
  if (p.kind === 'quarter') {
    const q = Number(p.quarter)
    return q >= 1 && q <= 4 ? `${year}-Q${q}` : null
  }
  if (p.kind === 'month') {
    const mo = Number(p.month)
    return mo >= 1 && mo <= 12 ? `${year}-${String(mo).padStart(2, '0')}` : null
  }
  return null
}

/**
 * The label a report uses for a period. For a year to date, `throughMonth` (1–12, the last
 * month with figures) makes it exact: "2025年1—9月累计"; without it "2025年累计（年初至今）".
 */
export function formatPeriod(period, { throughMonth: given } = {}) {
  const p = typeof period === 'string' ? parsePeriod(period) : period
  const throughMonth = given ?? p?.through
  if (!p) return typeof period === 'string' && period ? period : '—'
  if (p.kind === 'year') return `${p.year}年全年`
  if (p.kind === 'ytd') {
    if (throughMonth === 1) return `${p.year}年1月`
    if (throughMonth >= 2 && throughMonth <= 12) return `${p.year}年1—${throughMonth}月累计`
    return `${p.year}年累计（年初至今）`
  }
  if (p.kind === 'quarter') return `${p.year}年第${QUARTER_NAMES[p.quarter - 1]}季度`
  return `${p.year}年${p.month}月`
}

/** The same period one year earlier ("2025-Q2" → "2024-Q2", "2025-09-YTD" → "2024-09-YTD"), for 同比 labels. */
export function previousYear(period) {
  const p = typeof period === 'string' ? parsePeriod(period) : period
  if (!p) return null
  if (p.kind === 'ytd' && p.through) return `${p.year - 1}-${String(p.through).padStart(2, '0')}-YTD`
  return periodKey({ ...p, year: p.year - 1 })
}

/** The months a period covers, as "YYYY-MM" (a year to date through `throughMonth`, else the whole year). */
export function periodMonths(period, { throughMonth: given } = {}) {
  const p = typeof period === 'string' ? parsePeriod(period) : period
  const throughMonth = given ?? p?.through
  if (!p) return []
  const pad = (n) => String(n).padStart(2, '0')
  let first = 1
  let last = 12
  if (p.kind === 'ytd') last = throughMonth >= 1 && throughMonth <= 12 ? throughMonth : 12
  if (p.kind === 'quarter') {
    first = (p.quarter - 1) * 3 + 1
    last = first + 2
  }
  if (p.kind === 'month') first = last = p.month
  const out = []
  for (let m = first; m <= last; m++) out.push(`${p.year}-${pad(m)}`)
  return out
}

/**
 * The period to open with when nothing is chosen: the year to date of the year of
 * `asOf` ("2025-09" or a date), else of today in China.
 */
export function defaultPeriod(asOf, now = new Date()) {
  const m = typeof asOf === 'string' ? /^(\d{4})/.exec(asOf) : null
  const year = m ? Number(m[1]) : Number(new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(now))
  return `${year}-YTD`
}
