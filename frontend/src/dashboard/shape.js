/**
 * The dashboard answer (GET /api/metrics/dashboard, model `Dashboard` in
 * services/metrics/metrics/dashboard/schemas.py) shaped for the cockpit's blocks: cards with
 * their goals, street bars, the monthly lines, the theme ring, tier counts, top buildings and
 * warnings. It reads the answer's exact field names (the contract fixture
 * tests/contract/fixtures/dashboard.json is read by src/contract/fixtures.test.js). Pure functions.
 */
import { formatPeriod, parsePeriod, periodMonths, previousYear } from '../metrics/period.js'

/** Tiers, largest first, as district reports name them (达到即计入: ≥ the threshold). */
export const TIER_DEFS = Object.freeze([
  { key: 'shiyi', label: '十亿元楼宇', hint: '年税收≥10亿元' },
  { key: 'yiyuan', label: '亿元楼宇', hint: '年税收≥1亿元' },
  { key: 'wuqianwan', label: '5000万元楼宇', hint: '年税收≥5000万元（含亿元楼宇）' },
  { key: 'qianwan', label: '千万元楼宇', hint: '年税收≥1000万元（含以上各档）' },
  { key: 'yueyi', label: '月亿楼', hint: '单月税收≥1亿元' },
])

const num = (v) => (v === null || v === undefined ? null : Number(v))

/** The items of a list answer (`{items: [...]}`), or the array itself. */
export function listOf(v) {
  if (Array.isArray(v)) return v
  if (v && Array.isArray(v.items)) return v.items
  return []
}

/** The value of a money figure on a basis (`tax_total` or `tax_district`). */
export function taxOf(row, basis = 'tax_total') {
  return num(row?.[basis])
}

/** The period's key of an answer's `period` ({key, label, …}). */
export function periodKeyOf(p) {
  return p?.key ?? null
}

/** How a figure is written, from its catalogue unit (元, 元/㎡/年, ㎡, 比率, 栋, 家, 个). */
export function kindOfUnit(unit) {
  if (unit === '元') return 'money'
  if (unit === '元/㎡/年') return 'per_m2'
  if (unit === '㎡') return 'area'
  if (unit === '比率') return 'percent'
  return 'count'
}

/**
 * Cards: `cards` [{key (catalogue code), label, unit, value, previous, yoy, new, note, …}] →
 * [{key, label, kind, unit (measure word of counts), value, yoy, previous, note, on, goal}].
 */
export function shapeCards(cards, goals = []) {
  const byGoal = new Map(goals.map((g) => [g.metric, g]))
  return listOf(cards).map((c) => {
    const kind = kindOfUnit(c.unit)
    return {
      key: c.key,
      label: c.label,
      kind,
      unit: kind === 'count' ? c.unit : '',
      value: c.value,
      yoy: c.yoy,
      previous: c.previous,
      note: c.note || (c.new > 0 ? `较上年新增${c.new}${c.unit}` : ''),
      on: c.on ?? null,
      goal: byGoal.get(c.key) || null,
    }
  })
}

/**
 * Goals (`goals`: GoalRead entries) as the answer gives them, one per metric (the plan's,
 * listed first by the service, over one entered by hand).
 */
export function shapeGoals(goals) {
  const seen = new Set()
  return listOf(goals).filter((g) => g.metric && !seen.has(g.metric) && seen.add(g.metric))
}

/** A row of a breakdown is a group (a street, a theme) unless the answer says otherwise. */
const isGroup = (r) => (r.kind ?? 'group') === 'group'

/**
 * Streets: the street rows of `tax_by_street` (or GET /streets items) → bars on the chosen
 * basis, largest first. The rows that make the column add up (未入楼企业, 其他/未分类) are not
 * streets: they are in `shapeBreakdown`.
 */
export function shapeStreets(rows, basis = 'tax_total') {
  return listOf(rows)
    .filter(isGroup)
    .map((s) => ({ code: s.code, name: s.name, value: taxOf(s, basis), yoy: s.yoy, buildings: s.buildings }))
    .sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity))
}

/** What each kind of row is called when the answer's name is not enough (screen readers, tests). */
export const ROW_KINDS = Object.freeze({
  group: '分组',
  unattributed: '未入楼企业',
  other: '其他/未分类',
  duplicates: '重复计入',
  total: '合计',
})

function breakdownRow(r, basis) {
  return {
    code: r.code,
    name: r.name,
    kind: r.kind ?? 'group',
    value: taxOf(r, basis),
    previous: num(r[`previous_${basis}`]),
    yoy: basis === 'tax_total' && r.yoy !== undefined ? r.yoy : null,
    buildings: r.buildings ?? null,
  }
}

/**
 * A breakdown table as the answer gives it (one source per figure: the 合计 is the server's,
 * never summed here): `rows` (groups, then 未入楼企业, 其他/未分类, 重复计入, in the answer's
 * order) and `total` (the 合计 row, equal to the card of the same period and 口径). `total`
 * may also be the last row of `rows` (kind `total`, as in `monthly_summary`).
 */
export function shapeBreakdown(rows, total, basis = 'tax_total') {
  const all = listOf(rows)
  const last = total ?? all.find((r) => r.kind === 'total') ?? null
  return {
    rows: all.filter((r) => r.kind !== 'total').map((r) => breakdownRow(r, basis)),
    total: last ? breakdownRow(last, basis) : null,
  }
}

/**
 * The monthly lines: `monthly_trend` [{period: "YYYY-MM", tax_total, tax_district,
 * previous_tax_total, previous_tax_district}] → {months, series: [本期, 上年同期]} on one basis.
 */
export function shapeTrend(rows, basis = 'tax_total', { period } = {}) {
  const byMonth = new Map(listOf(rows).map((r) => [r.period, r]))
  let months = [...byMonth.keys()].sort()
  const p = parsePeriod(period || '')
  // A full year shows its twelve months even before they all have figures.
  if (p && p.kind === 'year') months = periodMonths(p)
  const value = (m) => taxOf(byMonth.get(m), basis)
  const prev = (m) => num(byMonth.get(m)?.[`previous_${basis}`])
  const year = months[0]?.slice(0, 4)
  const series = [{ name: year ? `${year}年` : '本期', values: months.map(value) }]
  const previous = months.map(prev)
  if (previous.some((v) => v !== null)) {
    series.push({ name: year ? `${Number(year) - 1}年同期` : '上年同期', values: previous, dashed: true })
  }
  return { months, series }
}

/**
 * The sums a ranking answer carries (GET /rankings/buildings): `total_row` (合计 of every
 * building of the filter: for a street or a theme, the same as its KPI card) and `rest_row`
 * (the buildings not on this page, or null) → {total, rest} on a basis.
 */
export function shapeRankingTotals(answer, basis = 'tax_total') {
  const a = answer || {}
  return {
    total: a.total_row ? breakdownRow(a.total_row, basis) : null,
    rest: a.rest_row ? breakdownRow(a.rest_row, basis) : null,
  }
}

/**
 * Theme mix: the themes of `theme_mix` and 无主题楼宇 (kind `other`) → ring slices on a basis,
 * largest first (未入楼企业 and the duplicates' correction are rows of the table, not slices).
 */
export function shapeThemes(rows, basis = 'tax_total') {
  return listOf(rows)
    .filter((t) => isGroup(t) || t.kind === 'other')
    .map((t) => ({ code: t.code, name: t.name, kind: t.kind ?? 'group', value: taxOf(t, basis), buildings: t.buildings, share: t.share }))
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0))
}

/** Tier counts (`tiers`), largest tier first: [{key, metric, label, hint, count, added}]. */
export function shapeTiers(rows) {
  const byKey = new Map(listOf(rows).map((t) => [t.key, t]))
  return TIER_DEFS.filter((d) => byKey.has(d.key)).map((d) => {
    const t = byKey.get(d.key)
    return { key: d.key, metric: t.metric, label: t.label, hint: d.hint, count: t.count, added: t.new }
  })
}

/** Buildings of a ranking (`top_buildings`, /rankings/buildings items) on a basis, ranked. */
export function shapeBuildings(rows, basis = 'tax_total') {
  return listOf(rows).map((b) => ({
    rank: b.rank,
    code: b.code,
    name: b.name,
    streetName: b.street_name,
    streetCode: b.street_code,
    value: taxOf(b, basis),
    yoy: b.yoy,
    tier: b.tier,
    taxPerM2: b.tax_per_m2_gfa,
    occupancy: b.occupancy_rate,
    isDemo: b.is_demo,
  }))
}

/**
 * Warnings (`warnings`, /warnings items), as the service orders them: the most severe first
 * (严重, 较重, 一般), newest first within a level, the
 * 数据完整性 reminders (severity `low`: a building that has not filled in its spaces or
 * leasable area) after the warnings.
 */
export function shapeWarnings(rows) {
  return listOf(rows).map((w) => ({
    id: w.id,
    kind: w.rule,
    category: w.kind,
    kindLabel: w.title,
    ruleName: w.rule_name,
    buildingCode: w.building_code,
    buildingName: w.building_name,
    streetName: w.street_name ?? '',
    message: w.message,
    appearedOn: w.first_seen_at,
    period: w.period,
    // 严重程度 (the bureau's, per rule): a severe warning is drawn red and named 严重, the others
    // by their level (较重 / 一般); 数据完整性 reminders stay 提醒.
    severity: w.severity === 'low' ? 'low' : w.level === 'severe' ? 'critical' : 'warning',
    levelName: w.severity === 'low' ? '' : w.level_name || '',
  }))
}

/**
 * The read model's sync state → a badge {tone: ok|lagging|error|unknown, text, lag, lastOkAt,
 * error}. `raw`: the dashboard's `sync` ({sources: [SyncStatus], rollups_pending}) or
 * GET /api/metrics/sync (one SyncStatus).
 */
export function shapeSync(raw) {
  if (!raw) return { tone: 'unknown', text: '同步状态未知', lag: null, lastOkAt: null, error: '' }
  const sources = Array.isArray(raw.sources) ? raw.sources : [raw]
  const lag = sources.reduce((sum, r) => sum + (r.lag_events || 0), 0)
  const times = sources
    .map((r) => r.current_at)
    .filter(Boolean)
    .map(String)
    .sort()
  const lastOkAt = times[0] ?? null
  const failing = sources.filter((r) => r.registry_reachable === false)
  const pending = raw.rollups_pending || 0
  let tone = 'ok'
  if (failing.length) tone = 'error'
  else if (lag > 0 || pending > 0) tone = 'lagging'
  else if (!lastOkAt) tone = 'unknown'
  const text = {
    ok: '数据已同步',
    lagging: lag > 0 ? `楼宇档案待同步${lag}条` : '指标正在更新',
    error: '楼宇档案同步中断',
    unknown: '尚未同步楼宇档案',
  }[tone]
  return { tone, text, lag, lastOkAt, error: failing[0]?.last_error || '' }
}

/** The whole answer, on one basis. */
export function shapeDashboard(raw, { basis = 'tax_total' } = {}) {
  const r = raw || {}
  const periodValue = periodKeyOf(r.period)
  const asOfMonth = typeof r.as_of === 'string' ? r.as_of.slice(0, 7) : null
  const p = parsePeriod(periodValue || '')
  const throughMonth = p && asOfMonth && Number(asOfMonth.slice(0, 4)) === p.year ? Number(asOfMonth.slice(5, 7)) : undefined
  const goals = shapeGoals(r.goals)
  const cards = shapeCards(r.cards, goals)
  // A goal no card answers to (招商共享中心: entered by hand) gets a card of its own.
  for (const g of goals) {
    if (cards.some((c) => c.goal === g)) continue
    cards.push({
      key: g.metric,
      label: g.metric_name,
      kind: 'count',
      unit: g.unit,
      value: num(g.current_value),
      yoy: null,
      previous: null,
      note: `${g.year}年目标`,
      on: null,
      goal: g,
    })
  }
  return {
    period: periodValue,
    periodLabel: p ? formatPeriod(periodValue, { throughMonth }) : (r.period?.label ?? ''),
    previousPeriod: previousYear(periodValue),
    asOf: r.as_of ?? null,
    years: listOf(r.years),
    sync: shapeSync(r.sync),
    cards,
    goals,
    streets: shapeStreets(r.tax_by_street, basis),
    streetTable: shapeBreakdown(r.tax_by_street, r.tax_by_street_total, basis),
    trend: shapeTrend(r.monthly_trend, basis, { period: periodValue }),
    monthTable: shapeBreakdown(r.monthly_summary, null, basis),
    themes: shapeThemes(r.theme_mix, basis),
    themeTable: shapeBreakdown(r.theme_mix, r.theme_mix_total, basis),
    tiers: shapeTiers(r.tiers),
    top: shapeBuildings(r.top_buildings, basis),
    warnings: shapeWarnings(r.warnings),
    isDemo: Boolean(r.is_demo),
    // 'district' (leader, bureau, departments) or 'own' (a street's or a chief's buildings only).
    scope: r.scope?.level ?? 'district',
  }
}
