/**
 * Number and date formatting for display, the way district reports write them:
 * money in 元 / 万元 / 亿元, tax per area in 元/㎡, months as "2025年3月".
 *
 * Inputs are raw values from the API: money in 元 (yuan), areas in ㎡, ratios as
 * fractions (0.853 = 85.3%). A missing value (null, undefined, '', NaN) is shown as
 * EMPTY, never as 0: "no figure" and "zero" mean different things to a reader.
 * Dates are shown in China time (Asia/Shanghai) whatever the browser's zone.
 */

export const EMPTY = '—'
export const TIME_ZONE = 'Asia/Shanghai'

const WAN = 1e4
const YI = 1e8

function toNumber(value) {
  if (value === null || value === undefined || value === '') return null
  const n = typeof value === 'number' ? value : Number(value)
  return Number.isFinite(n) ? n : null
}

const numberFormats = new Map()
function numberFormat(digits) {
  const key = `${digits.min}-${digits.max}`
  if (!numberFormats.has(key)) {
    numberFormats.set(
      key,
      new Intl.NumberFormat('zh-CN', {
        minimumFractionDigits: digits.min,
        maximumFractionDigits: digits.max,
        useGrouping: true,
      }),
    )
  }
  return numberFormats.get(key)
}

/**
 * Round half away from zero at `digits` decimals, on the number as written (1.005 → 1.01,
 * where binary floating point alone would give 1.00).
 */
function round(n, digits) {
  const abs = Math.abs(n)
  const text = String(abs)
  const scaled = text.includes('e') ? Math.round(abs * 10 ** digits) : Math.round(Number(`${text}e${digits}`))
  return (scaled / 10 ** digits) * Math.sign(n) || 0
}

/**
 * 12345.678 → "12,345.68" (digits = 2). `fixed: false` drops trailing zeros.
 * @param {number|string|null|undefined} value
 * @param {{digits?: number, fixed?: boolean}} [options]
 */
export function formatNumber(value, { digits = 0, fixed = true } = {}) {
  const n = toNumber(value)
  if (n === null) return EMPTY
  return numberFormat({ min: fixed ? digits : 0, max: digits }).format(round(n, digits))
}

/**
 * Money in 元 with the unit a reader expects, chosen by size unless given:
 * 8500 → "8,500元", 1234567 → "123.46万元", 123456789 → "1.23亿元".
 * A value that would round up to 10,000.00万元 is shown as 1.00亿元.
 *
 * @param {number|string|null|undefined} yuan
 * @param {{unit?: 'auto'|'元'|'万元'|'亿元', digits?: number}} [options]
 *   digits: decimals for 万元/亿元 (default 2); 元 are shown whole unless digits is given.
 */
export function formatMoney(yuan, { unit = 'auto', digits } = {}) {
  const n = toNumber(yuan)
  if (n === null) return EMPTY
  const d = digits ?? 2
  let chosen = unit
  if (unit === 'auto') {
    const abs = Math.abs(n)
    if (abs >= YI || round(abs / WAN, d) >= WAN) chosen = '亿元'
    else if (abs >= WAN) chosen = '万元'
    else chosen = '元'
  }
  if (chosen === '亿元') return `${formatNumber(n / YI, { digits: d })}亿元`
  if (chosen === '万元') return `${formatNumber(n / WAN, { digits: d })}万元`
  return `${formatNumber(n, { digits: digits ?? 0 })}元`
}

/** Money in 元 shown in 万元: 1234567 → "123.46万元". */
export function formatWanYuan(yuan, { digits = 2 } = {}) {
  return formatMoney(yuan, { unit: '万元', digits })
}

/** Money in 元 shown in 亿元: 123456789 → "1.23亿元". */
export function formatYiYuan(yuan, { digits = 2 } = {}) {
  return formatMoney(yuan, { unit: '亿元', digits })
}

/** Tax (or rent) per square metre: 4373.2 → "4,373元/㎡". */
export function formatYuanPerSquareMeter(value, { digits = 0 } = {}) {
  const n = toNumber(value)
  if (n === null) return EMPTY
  return `${formatNumber(n, { digits })}元/㎡`
}

/**
 * Area: 52000 → "52,000㎡"; `unit: '万㎡'` → "5.20万㎡"; `fixed: false` drops trailing
 * zeros (see formatAreaExact).
 */
export function formatArea(m2, { unit = '㎡', digits, fixed = true } = {}) {
  const n = toNumber(m2)
  if (n === null) return EMPTY
  if (unit === '万㎡') return `${formatNumber(n / WAN, { digits: digits ?? 2, fixed })}万㎡`
  return `${formatNumber(n, { digits: digits ?? 0, fixed })}㎡`
}

/** The area of one building or space, to 0.1 ㎡ as registered: 12345.6 → "12,345.6㎡", 800 → "800㎡". */
export function formatAreaExact(m2) {
  return formatArea(m2, { digits: 1, fixed: false })
}

/** Asking rent in 元 per ㎡ per month: 85.5 → "85.5元/㎡·月". */
export function formatRent(value) {
  const n = toNumber(value)
  if (n === null) return EMPTY
  return `${formatNumber(n, { digits: 2, fixed: false })}元/㎡·月`
}

/** Ratio as percent: 0.8534 → "85.3%". */
export function formatPercent(ratio, { digits = 1 } = {}) {
  const n = toNumber(ratio)
  if (n === null) return EMPTY
  return `${formatNumber(n * 100, { digits })}%`
}

/** A task's progress, a whole percent 0–100 as the tasks service keeps it: 60 → "60%". */
export function formatProgress(percent) {
  const n = toNumber(percent)
  if (n === null) return EMPTY
  return `${formatNumber(Math.max(0, Math.min(100, n)))}%`
}

// ---------------------------------------------------------------------------
// Dates

const DATE_ONLY = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/

const partsFormat = new Intl.DateTimeFormat('en-US', {
  timeZone: TIME_ZONE,
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

/**
 * Calendar parts of a value: "2025-03" and "2025-03-05" are calendar values and taken
 * as written (no time zone shift); a Date, an ISO date-time or epoch ms is a moment,
 * shown in China time.
 * @returns {{year: number, month: number, day: number|null, hour: number|null, minute: number|null, second: number|null}|null}
 */
function dateParts(value) {
  if (value === null || value === undefined || value === '') return null
  if (typeof value === 'string') {
    const m = DATE_ONLY.exec(value.trim())
    if (m) {
      const month = Number(m[2])
      const day = m[3] ? Number(m[3]) : null
      if (month < 1 || month > 12 || (day !== null && (day < 1 || day > 31))) return null
      return { year: Number(m[1]), month, day, hour: null, minute: null, second: null }
    }
  }
  const date = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(date.getTime())) return null
  const p = Object.fromEntries(partsFormat.formatToParts(date).map((x) => [x.type, x.value]))
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
  }
}

/** "2025-03", "2025-03-31" or a Date → "2025年3月". */
export function formatYearMonth(value) {
  const p = dateParts(value)
  if (!p) return EMPTY
  return `${p.year}年${p.month}月`
}

/** "2025-03-05" or a Date → "2025年3月5日". */
export function formatDate(value) {
  const p = dateParts(value)
  if (!p) return EMPTY
  if (p.day === null) return `${p.year}年${p.month}月`
  return `${p.year}年${p.month}月${p.day}日`
}

/**
 * A moment → "2025年3月5日 14:30" (China time); `seconds: true` → "2025年3月5日 14:30:15"
 * (the audit trail).
 */
export function formatDateTime(value, { seconds = false } = {}) {
  const p = dateParts(value)
  if (!p) return EMPTY
  if (p.hour === null) return formatDate(value)
  const two = (n) => String(n).padStart(2, '0')
  const time = seconds ? `${two(p.hour)}:${two(p.minute)}:${two(p.second)}` : `${two(p.hour)}:${two(p.minute)}`
  return `${p.year}年${p.month}月${p.day}日 ${time}`
}

const ISO_IN_TEXT = /\b(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?\b/g

/**
 * A sentence the server wrote (a warning's message, a 督办 reason) with its ISO dates said
 * the Chinese way: "时限 2025-09-30" → "时限 2025年9月30日"; a moment with a zone in China time.
 * Anything that is not a valid date is left as written.
 */
export function formatDatesInText(text) {
  if (text === null || text === undefined) return ''
  return String(text).replace(ISO_IN_TEXT, (whole, day, time, zone) => {
    if (!time) return formatDate(day) === EMPTY ? whole : formatDate(day)
    const shown = zone
      ? formatDateTime(`${day}T${time}${zone.length === 5 && zone !== 'Z' ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`)
      : `${formatDate(day)} ${time}`
    return shown.startsWith(EMPTY) ? whole : shown
  })
}

/** Today's date in China as the API writes dates: "2025-03-05". */
export function todayIso(now = new Date()) {
  const p = dateParts(now)
  const pad = (n) => String(n).padStart(2, '0')
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`
}
