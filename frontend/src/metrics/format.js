/**
 * Figures of the metrics screens, on top of utils/format.js (元/万元/亿元, 元/㎡, dates):
 * changes (同比), goal progress, and one money unit per chart axis.
 */
import { EMPTY, formatArea, formatMoney, formatNumber, formatPercent, formatYuanPerSquareMeter } from '../utils/format.js'

function toNumber(value) {
  if (value === null || value === undefined || value === '') return null
  const n = typeof value === 'number' ? value : Number(value)
  return Number.isFinite(n) ? n : null
}

/**
 * A change as a signed percent: 0.123 → "+12.3%", -0.05 → "-5.0%", 0 → "0.0%".
 * null/undefined (no figure a year earlier) → "—".
 */
export function formatChange(ratio, { digits = 1 } = {}) {
  const n = toNumber(ratio)
  if (n === null) return EMPTY
  const text = formatNumber(Math.abs(n) * 100, { digits })
  if (text === formatNumber(0, { digits })) return `${text}%`
  return `${n > 0 ? '+' : '-'}${text}%`
}

/** "up" | "down" | "flat" | null, for colouring a change (a rise in tax is good news). */
export function changeTone(ratio) {
  const n = toNumber(ratio)
  if (n === null) return null
  if (Math.abs(n) < 0.0005) return 'flat'
  return n > 0 ? 'up' : 'down'
}

/** A change in percentage points (occupancy): 0.034 → "+3.4个百分点". */
export function formatPointChange(delta, { digits = 1 } = {}) {
  const n = toNumber(delta)
  if (n === null) return EMPTY
  const text = formatNumber(Math.abs(n) * 100, { digits })
  const sign = n > 0 ? '+' : n < 0 ? '-' : ''
  return `${text === formatNumber(0, { digits }) ? '' : sign}${text}个百分点`
}

/** A count with its measure word: (27, '栋') → "27栋"; missing → "—". */
export function formatCount(value, unit = '') {
  const n = toNumber(value)
  if (n === null) return EMPTY
  return `${formatNumber(n)}${unit}`
}

/**
 * The one money unit a chart's axis is written in, chosen by its largest value, so that
 * all its bars read in the same unit: ≥ 1亿 → 亿元, ≥ 1万 → 万元, else 元.
 * @returns {{unit: '亿元'|'万元'|'元', divisor: number}}
 */
export function moneyAxisUnit(values) {
  let max = 0
  for (const v of values || []) {
    const n = toNumber(v)
    if (n !== null && Math.abs(n) > max) max = Math.abs(n)
  }
  if (max >= 1e8) return { unit: '亿元', divisor: 1e8 }
  if (max >= 1e4) return { unit: '万元', divisor: 1e4 }
  return { unit: '元', divisor: 1 }
}

/** A value in 元 scaled to an axis unit, rounded for plotting (null stays null: a gap). */
export function scaleMoney(value, divisor, digits = 2) {
  const n = toNumber(value)
  if (n === null) return null
  return Number((n / divisor).toFixed(digits))
}

/** Axis tick in the axis's unit: 12000 → "12,000", 1.5 → "1.5". */
export function formatAxisNumber(value) {
  return formatNumber(value, { digits: 2, fixed: false })
}

/** Money for a tooltip or a card, auto unit (re-exported so chart files import one module). */
export function formatTax(yuan) {
  return formatMoney(yuan)
}

/**
 * Goal progress: from a baseline towards a target.
 * - `target` is the increase wanted when `increment` is true (the plan's "+2 亿元楼宇"),
 *   otherwise the number to reach (3 招商共享中心).
 * Returns {done, wanted, ratio (0–1, capped), reached, text}: text like "已新增1栋 / 目标+2栋".
 */
export function goalProgress({ baseline, target, current, unit = '', increment = false } = {}) {
  const t = toNumber(target)
  const c = toNumber(current)
  const b = toNumber(baseline) ?? 0
  if (t === null) return { done: c, wanted: t, ratio: null, reached: false, text: EMPTY }
  if (c === null) {
    // A goal nobody can compute from the figures (招商共享中心) until the bureau enters its value.
    const goal = increment ? `目标+${formatNumber(t)}${unit}` : `目标${formatNumber(t)}${unit}`
    return { done: null, wanted: t, ratio: null, reached: false, text: `${goal}（当前值尚未填报）` }
  }
  const done = increment ? c - b : c
  const ratio = t > 0 ? Math.max(0, Math.min(1, done / t)) : done >= t ? 1 : 0
  const reached = done >= t
  const text = increment
    ? `已新增${formatNumber(done)}${unit} / 目标+${formatNumber(t)}${unit}`
    : `${formatNumber(done)}${unit} / 目标${formatNumber(t)}${unit}`
  return { done, wanted: t, ratio, reached, text }
}

/**
 * A KPI figure by its kind: money → 万元/亿元, count → "27栋", percent → "85.3%",
 * per_m2 → "4,373元/㎡", area → "12.35万㎡" (≥ 10万㎡) or "8,500㎡".
 */
export function formatFigure(kind, value, unit = '') {
  if (kind === 'money') return formatMoney(value)
  if (kind === 'count') return formatCount(value, unit)
  if (kind === 'percent') return formatPercent(value)
  if (kind === 'per_m2') return formatYuanPerSquareMeter(value)
  if (kind === 'area') {
    const n = Number(value)
    return formatArea(value, { unit: Number.isFinite(n) && Math.abs(n) >= 1e5 ? '万㎡' : '㎡' })
  }
  return value === null || value === undefined ? EMPTY : `${formatNumber(value, { digits: 2, fixed: false })}${unit}`
}
