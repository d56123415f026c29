/**
 * The one status palette of the product. Every status colour on any screen is one of
 * these tones, so 正常 / 预警 / 逾期, good news / bad news and "nothing to say" look the
 * same on the task list, the cockpit, the warnings, a space's status and a demand's tag.
 *
 * - good: 正常, 已完成 on time, rise in tax, 已租, 已答复, 已签约, 同步正常
 * - warn: 预警, 空置, 办理中, 洽谈中, 同步滞后, 一级督办
 * - bad: 逾期, 下降, 已重办, 已流失, 同步失败, 二级以上督办
 * - info: 已交办, 已接洽, 自用 (the product's blue)
 * - accent: a fourth category that is neither good nor bad (预留)
 * - neutral: 已完成 / 无期限 / 已办结 / unknown
 *
 * Each tone has `text` on `background` (≥ 4.5:1, WCAG AA, checked in tones.test.js; the
 * text also keeps ≥ 4.5:1 on white), a `border` for outlines and a `fill` for bars and
 * dots (≥ 3:1 on white, a graphic object). The same values are the CSS variables
 * `--louyu-tone-<name>-{text,bg,border,fill}` in styles/main.css (the test checks they
 * agree). Colour is never the only sign: whatever carries a tone also says its label.
 */

export const TONES = Object.freeze({
  good: Object.freeze({ text: '#166534', background: '#dcfce7', border: '#86efac', fill: '#15803d', elType: 'success' }),
  warn: Object.freeze({ text: '#854d0e', background: '#fef9c3', border: '#fcd34d', fill: '#b45309', elType: 'warning' }),
  bad: Object.freeze({ text: '#b42318', background: '#fee4e2', border: '#fecdca', fill: '#b42318', elType: 'danger' }),
  info: Object.freeze({ text: '#1f4e8c', background: '#e9edf4', border: '#bccadc', fill: '#1f4e8c', elType: 'primary' }),
  accent: Object.freeze({ text: '#5b21b6', background: '#ede9fe', border: '#c4b5fd', fill: '#7c3aed', elType: 'primary' }),
  neutral: Object.freeze({ text: '#374151', background: '#f3f4f6', border: '#d1d5db', fill: '#6b7280', elType: 'info' }),
})

export const TONE_NAMES = Object.freeze(Object.keys(TONES))

/** The tone by name; anything unknown is neutral. */
export function tone(name) {
  return TONES[name] || TONES.neutral
}

/** The tone of an Element Plus tag/button type (the tags keep using `type`; main.css paints each type in its tone). */
const BY_EL_TYPE = Object.freeze({ success: 'good', warning: 'warn', danger: 'bad', primary: 'info', info: 'neutral' })
export function toneOfElType(type) {
  return BY_EL_TYPE[type] || 'neutral'
}

/** A change's direction (metrics/format.js changeTone: up/down/flat) as a tone: a rise in tax is good news. */
export function toneOfChange(direction) {
  if (direction === 'up') return 'good'
  if (direction === 'down') return 'bad'
  return 'neutral'
}

/** The CSS variable of a tone's part: ('good', 'text') → "var(--louyu-tone-good-text)". */
export function toneVar(name, part = 'text') {
  const key = { text: 'text', background: 'bg', bg: 'bg', border: 'border', fill: 'fill' }[part] || 'text'
  return `var(--louyu-tone-${TONES[name] ? name : 'neutral'}-${key})`
}

// ---------------------------------------------------------------------------
// Contrast (WCAG 2.x), for the tests and for anyone adding a tone.

function channel(c) {
  const s = c / 255
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
}

/** Relative luminance of "#rrggbb" or "#rgb". */
export function luminance(hex) {
  let h = String(hex).replace('#', '')
  if (h.length === 3) h = [...h].map((c) => c + c).join('')
  if (!/^[0-9a-fA-F]{6}$/.test(h)) throw new Error(`不是颜色值：${hex}`)
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16))
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
}

/** Contrast ratio of two colours, 1 to 21. */
export function contrastRatio(a, b) {
  const [l1, l2] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (l1 + 0.05) / (l2 + 0.05)
}

/**
 * A metrics warning's severity as a tone and a word: critical/high/danger → 严重 (bad), low →
 * 提醒 (info: a 数据完整性 reminder, nothing wrong with the figures), anything else → 预警 (warn).
 */
export function severityOf(severity) {
  if (severity === 'low') return { tone: 'info', label: '提醒' }
  return ['critical', 'high', 'danger'].includes(severity) ? { tone: 'bad', label: '严重' } : { tone: 'warn', label: '预警' }
}
