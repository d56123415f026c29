/**
 * Pure helpers of the 大屏: the scale of the 1920×1080 design for a window, the headline cards,
 * the warnings to show, and the refresh / rotation intervals (settings, overridable in the
 * address for a test or a rehearsal).
 */
import { formatChange, changeTone } from '../metrics/format.js'
import { formatMoney, formatNumber, formatPercent } from '../utils/format.js'

export const DESIGN_WIDTH = 1920
export const DESIGN_HEIGHT = 1080

/** The CSS scale that fits the design into the window without reflow (and without scrolling). */
export function scaleFor(width, height) {
  if (!(width > 0) || !(height > 0)) return 1
  return Math.min(width / DESIGN_WIDTH, height / DESIGN_HEIGHT)
}

/** The headline cards of the 大屏, in this order, when the answer has them. */
export const HEADLINE = ['tax_total', 'tax_district', 'yiyuan_buildings', 'occupancy_rate', 'tenants', 'buildings']

function valueText(card) {
  const unit = card.unit
  if (unit === '元') return formatMoney(card.value)
  if (unit === '比率') return formatPercent(card.value)
  if (card.value === null || card.value === undefined) return '—'
  return `${formatNumber(card.value, { digits: 0 })}${unit === '元/㎡/年' || unit === '㎡' ? unit : unit || ''}`
}

/** Cards → [{key, label, value (text), change (同比 text), tone}] for the headline. */
export function headlineCards(cards = []) {
  const byKey = new Map((cards || []).map((c) => [c.key, c]))
  return HEADLINE.filter((k) => byKey.has(k)).map((k) => {
    const c = byKey.get(k)
    const hasYoy = c.yoy !== null && c.yoy !== undefined
    return {
      key: k,
      label: c.label,
      value: valueText(c),
      change: hasYoy ? `同比${formatChange(c.yoy)}` : c.new > 0 ? `较上年新增${c.new}${c.unit || ''}` : '同比 —',
      tone: hasYoy ? changeTone(c.yoy) : null,
    }
  })
}

export const LEVEL_NAMES = { severe: '严重', major: '较重', minor: '一般' }
const RANK = { severe: 0, major: 1, minor: 2 }

/**
 * The warnings the panel shows: the most severe first (the server already orders them; sorted
 * again so a severe one can never sit behind minor ones), at most `limit`.
 */
export function topWarnings(warnings = [], limit = 6) {
  return [...(warnings || [])]
    .map((w, i) => ({ w, i }))
    .sort((a, b) => (RANK[a.w.level] ?? 3) - (RANK[b.w.level] ?? 3) || a.i - b.i)
    .slice(0, limit)
    .map(({ w }) => w)
}

/** Seconds from the address (?refresh=, ?rotate=) when given and sane, else the setting. */
export function secondsFrom(query, name, fallback) {
  const n = Number(query?.[name])
  return Number.isFinite(n) && n >= 0.2 && n <= 86400 ? n : fallback
}
