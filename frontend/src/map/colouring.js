/**
 * How the map colours its buildings and what its legend says (pure functions, no Leaflet).
 *
 * Three modes, each a small set of categories with a colour, a label and a count in the legend
 * (the legend is never colour-only: every entry names its category and counts its buildings):
 * - 税收层级 (`tier`): the year's 全口径 tax tier from the API (≥ the threshold counts), the
 *   marker also grows with the tier so the difference does not rest on colour alone;
 * - 特色主题 (`theme`): the building's 特色 theme (the year's evaluation) when it has one, else
 *   its first declared theme; a building that only declares a theme is drawn hollow;
 * - 空置率 (`vacancy`): bands of 1 − 入驻率 at the end of the period.
 */
import { formatMoney, formatPercent } from '../utils/format.js'

export const MODES = Object.freeze([
  { value: 'tier', label: '税收层级' },
  { value: 'theme', label: '特色主题' },
  { value: 'vacancy', label: '空置率' },
])

export const NONE_COLOUR = '#c0c7d1'
export const STROKE_COLOUR = '#1f2937'

/**
 * Tier bands from the bottom; `none` = below 千万元 (or no figure). A building is coloured by
 * the highest tier it reaches, so each colour is a band and is labelled as one (5000万–1亿元):
 * "5000万元楼宇" elsewhere counts every building ≥ 5000万, 亿元 ones included (DOMAIN.md →
 * 指标口径, tiers 达到即计入; a band is always labelled as a band).
 */
export const TIER_STYLES = Object.freeze([
  { key: 'none', label: '未达1000万元', colour: NONE_COLOUR, radius: 6 },
  { key: 'qianwan', label: '1000万–5000万元', colour: '#93c5fd', radius: 7 },
  { key: 'wuqianwan', label: '5000万–1亿元', colour: '#3b82f6', radius: 9 },
  { key: 'yiyuan', label: '1亿–10亿元', colour: '#1e3a8a', radius: 11 },
  { key: 'shiyi', label: '10亿元及以上', colour: '#c2410c', radius: 13 },
])

/** Vacancy bands: [from, to) as fractions; `unknown` when the period's occupancy is not known. */
export const VACANCY_BANDS = Object.freeze([
  { key: 'low', label: '低于10%', from: 0, to: 0.1, colour: '#15803d' },
  { key: 'mid', label: '10%–20%', from: 0.1, to: 0.2, colour: '#84cc16' },
  { key: 'high', label: '20%–30%', from: 0.2, to: 0.3, colour: '#f59e0b' },
  { key: 'very-high', label: '30%及以上', from: 0.3, to: Infinity, colour: '#b42318' },
  { key: 'unknown', label: '未填报或在建', colour: NONE_COLOUR },
])

/** Colours for themes, in the order the API lists them (wraps after the last). */
export const THEME_PALETTE = Object.freeze([
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#393b79',
  '#637939',
  '#843c39',
  '#7b4173',
  '#3182bd',
])
export const NO_THEME = Object.freeze({ key: '', label: '无特色主题', colour: NONE_COLOUR })

export const DEFAULT_RADIUS = 8

/** The tier style of a building (`none` below 千万元). */
export function tierStyle(building) {
  return TIER_STYLES.find((t) => t.key === building?.tier) || TIER_STYLES[0]
}

/** The vacancy band of a building. */
export function vacancyBand(building) {
  const rate = building?.vacancy_rate
  if (rate === null || rate === undefined || !Number.isFinite(Number(rate))) {
    return VACANCY_BANDS[VACANCY_BANDS.length - 1]
  }
  const n = Number(rate)
  return VACANCY_BANDS.find((b) => b.to !== undefined && n >= b.from && n < b.to) || VACANCY_BANDS[3]
}

/** Theme code → {key, label, colour}, from the API's `themes` list. */
export function themeStyles(themes = []) {
  const styles = new Map()
  themes.forEach((t, i) => styles.set(t.code, { key: t.code, label: t.name || t.code, colour: THEME_PALETTE[i % THEME_PALETTE.length] }))
  return styles
}

/**
 * The theme a building is coloured by and whether it is a 特色 verdict (true) or only
 * declared (false); null when it has none.
 */
export function primaryTheme(building) {
  const featured = building?.featured_themes || []
  if (featured.length) return { code: featured[0], featured: true }
  const declared = building?.themes || []
  if (declared.length) return { code: declared[0], featured: false }
  return null
}

/**
 * The category of one building in a mode: `{key, label, colour, radius, hollow}`.
 * @param {object} building  one item of GET /map's `buildings`
 * @param {'tier'|'theme'|'vacancy'} mode
 * @param {Map} themes  from themeStyles()
 */
export function categoryOf(building, mode, themes = new Map()) {
  if (mode === 'theme') {
    const primary = primaryTheme(building)
    if (!primary) return { ...NO_THEME, radius: DEFAULT_RADIUS, hollow: false }
    const style = themes.get(primary.code) || { key: primary.code, label: primary.code, colour: THEME_PALETTE[0] }
    return { ...style, radius: DEFAULT_RADIUS, hollow: !primary.featured }
  }
  if (mode === 'vacancy') {
    const band = vacancyBand(building)
    return { key: band.key, label: band.label, colour: band.colour, radius: DEFAULT_RADIUS, hollow: false }
  }
  const tier = tierStyle(building)
  return { key: tier.key, label: tier.label, colour: tier.colour, radius: tier.radius, hollow: false }
}

/**
 * The legend of a mode for the buildings shown: `[{key, label, colour, count}]`. Tiers and
 * vacancy bands list every category (0 included, so the scale reads complete); themes list
 * only those present, most buildings first, then 无特色主题.
 */
export function legendFor(buildings, mode, themes = new Map()) {
  const counts = new Map()
  for (const b of buildings) {
    const key = categoryOf(b, mode, themes).key
    counts.set(key, (counts.get(key) || 0) + 1)
  }
  if (mode === 'tier') {
    return TIER_STYLES.map((t) => ({ key: t.key, label: t.label, colour: t.colour, count: counts.get(t.key) || 0 })).reverse()
  }
  if (mode === 'vacancy') {
    return VACANCY_BANDS.map((b) => ({ key: b.key, label: b.label, colour: b.colour, count: counts.get(b.key) || 0 }))
  }
  const entries = [...counts.entries()]
    .filter(([key]) => key !== '')
    .map(([key, count]) => {
      const style = themes.get(key) || { label: key, colour: THEME_PALETTE[0] }
      return { key, label: style.label, colour: style.colour, count }
    })
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label, 'zh-CN'))
  if (counts.get('')) entries.push({ key: '', label: NO_THEME.label, colour: NO_THEME.colour, count: counts.get('') })
  return entries
}

/** The figure a tooltip shows next to the name in a mode. */
export function figureOf(building, mode, themes = new Map()) {
  if (mode === 'vacancy') {
    const rate = building?.vacancy_rate
    if (rate === null || rate === undefined) return `空置率：${building?.figures_status_label || '暂无数据'}`
    return `空置率：${formatPercent(rate)}`
  }
  if (mode === 'theme') {
    const primary = primaryTheme(building)
    if (!primary) return NO_THEME.label
    const label = themes.get(primary.code)?.label || primary.code
    return primary.featured ? `特色：${label}` : `申报主题：${label}（未达特色标准）`
  }
  const tier = tierStyle(building)
  return `税收${formatMoney(building?.tax_total)}（${tier.label}区间）`
}

/** Leaflet path options of a building's circle marker in a mode. */
export function markerStyle(building, mode, themes = new Map()) {
  const c = categoryOf(building, mode, themes)
  return {
    radius: c.radius,
    color: STROKE_COLOUR,
    weight: c.hollow ? 2.5 : 1,
    fillColor: c.hollow ? '#ffffff' : c.colour,
    fillOpacity: 0.9,
    ...(c.hollow ? { color: c.colour } : {}),
  }
}

/**
 * [[south, west], [north, east]] around the outline's rings and the buildings' points, or
 * null when there is nothing to show.
 */
export function boundsOf(outline, buildings = []) {
  const lats = []
  const lngs = []
  const add = ([lng, lat]) => {
    if (Number.isFinite(lng) && Number.isFinite(lat)) {
      lngs.push(lng)
      lats.push(lat)
    }
  }
  for (const feature of outline?.features || []) {
    const g = feature?.geometry
    if (!g) continue
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : []
    for (const polygon of polygons) for (const ring of polygon || []) for (const point of ring || []) add(point)
  }
  for (const b of buildings) {
    if (b?.lng !== null && b?.lng !== undefined && b?.lat !== null && b?.lat !== undefined) add([Number(b.lng), Number(b.lat)])
  }
  if (!lats.length) return null
  return [
    [Math.min(...lats), Math.min(...lngs)],
    [Math.max(...lats), Math.max(...lngs)],
  ]
}

/** Attribution text for Leaflet (which renders it as HTML): escaped. */
export function escapeHtml(text) {
  return String(text ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch])
}
