/**
 * The dashboard answer (GET /api/metrics/dashboard) shaped for the cockpit's blocks:
 * cards with their goals, street bars, the monthly lines, the theme ring, tier counts,
 * top buildings and warnings. Pure functions: tested without a browser.
 */
import { isKpiBody, kpiCards } from '../metrics/kpiCards.js'
import { formatPeriod, parsePeriod, periodMonths, previousYear } from '../metrics/period.js'

/** How each KPI card reads: label, kind of figure, measure word, and the goal it answers to. */
export const CARD_DEFS = Object.freeze({
  tax_total: { label: '全口径税收', kind: 'money' },
  tax_district: { label: '区级税收', kind: 'money' },
  yiyuan_buildings: { label: '亿元楼宇', kind: 'count', unit: '栋', goal: 'yiyuan_buildings' },
  featured_buildings: { label: '特色楼宇', kind: 'count', unit: '栋', goal: 'featured_buildings' },
  sharing_centres: { label: '招商共享中心', kind: 'count', unit: '个', goal: 'sharing_centres' },
  tax_per_m2_gfa: { label: '坪效（按建筑面积）', kind: 'per_m2' },
  tax_per_m2_occupied: { label: '坪效（按入驻面积）', kind: 'per_m2' },
  occupancy_rate: { label: '入驻率', kind: 'percent' },
  vacant_area: { label: '空置面积', kind: 'area' },
  tenants: { label: '在楼企业', kind: 'count', unit: '家' },
  registration_rate: { label: '注册率', kind: 'percent' },
  statistics_rate: { label: '纳统率', kind: 'percent' },
  buildings: { label: '楼宇', kind: 'count', unit: '栋' },
})

/** Goals: the plan's three, and the words for them. `increment`: the target is an increase on the baseline. */
export const GOAL_DEFS = Object.freeze({
  yiyuan_buildings: { label: '亿元楼宇', unit: '栋', increment: true },
  featured_buildings: { label: '特色楼宇', unit: '栋', increment: true },
  sharing_centres: { label: '招商共享中心', unit: '个', increment: false },
})

/** Tiers, largest first, as district reports name them. */
export const TIER_DEFS = Object.freeze([
  { key: 'shiyi', label: '十亿元楼宇', hint: '年税收≥10亿元', aliases: ['billion', '1b', 'ten_yi', 'shiyiyuan'] },
  { key: 'yiyuan', label: '亿元楼宇', hint: '年税收≥1亿元', aliases: ['yi', '100m', 'yiyuan_buildings'] },
  { key: 'wuqianwan', label: '5000万元楼宇', hint: '年税收≥5000万元', aliases: ['50m', '5000wan', 'half_yi'] },
  { key: 'qianwan', label: '千万元楼宇', hint: '年税收≥1000万元', aliases: ['10m', 'qianwanyuan'] },
  { key: 'yueyi', label: '月亿楼', hint: '单月税收≥1亿元', aliases: ['monthly_yi', 'month_yi', 'yueyiyuan', 'monthly'] },
])

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)

/** The list in `v`: an array as is, `{items: [...]}` → items, anything else → []. */
export function listOf(v) {
  if (Array.isArray(v)) return v
  if (isObj(v) && Array.isArray(v.items)) return v.items
  return []
}

/** The first of `names` that `obj` has (not null/undefined). */
export function pick(obj, ...names) {
  if (!isObj(obj)) return undefined
  for (const n of names) if (obj[n] !== undefined && obj[n] !== null) return obj[n]
  return undefined
}

/** The value of a money figure on a basis: a row carries tax_total / tax_district, or value. */
export function taxOf(row, basis = 'tax_total') {
  const v = pick(row, basis, basis === 'tax_total' ? 'tax' : undefined, 'value', 'amount')
  return v === undefined ? null : Number(v)
}

/** The period's key whether the answer gives a string or {key, label, …}. */
export function periodKeyOf(p) {
  if (typeof p === 'string') return p
  return isObj(p) ? (pick(p, 'key', 'value', 'code') ?? null) : null
}

/** A change given as a rate, or as {previous, change, rate}. */
function rateOf(v) {
  if (isObj(v)) return v.rate ?? null
  return v ?? null
}

/**
 * Cards: the service's KPI object (tax_total, yoy, efficiency, …), an array
 * [{key, label?, value, yoy?, ...}], or an object {key: value | {value, yoy}}.
 */
export function shapeCards(raw, goals = []) {
  let rows
  if (isKpiBody(raw)) {
    const byGoal = new Map(goals.map((g) => [g.metric, g]))
    const extra = ['yiyuan_buildings', 'featured_buildings', 'sharing_centres']
      .filter((k) => raw[k] !== undefined && raw[k] !== null)
      .map((k) => ({ key: k, label: CARD_DEFS[k].label, kind: 'count', unit: CARD_DEFS[k].unit, value: isObj(raw[k]) ? pick(raw[k], 'value', 'count') : raw[k], yoy: null, previous: null, note: '', goal: byGoal.get(k) || null }))
    return [...kpiCards(raw), ...extra]
  }
  if (Array.isArray(raw)) rows = raw.map((c) => ({ ...c, key: pick(c, 'key', 'metric', 'code') }))
  else if (isObj(raw))
    rows = Object.entries(raw).map(([key, v]) => (isObj(v) ? { ...v, key } : { key, value: v }))
  else rows = []
  const byGoal = new Map(goals.map((g) => [g.metric, g]))
  return rows
    .filter((c) => c.key)
    .map((c) => {
      const def = CARD_DEFS[c.key] || {}
      const goal = byGoal.get(def.goal || c.key) || null
      return {
        key: c.key,
        label: c.label || def.label || c.key,
        kind: c.kind || def.kind || 'number',
        unit: c.unit_word || def.unit || '',
        value: pick(c, 'value', 'current', 'count'),
        yoy: rateOf(pick(c, 'yoy', 'yoy_change', 'change')),
        previous: pick(c, 'previous', 'last_year'),
        note: c.note || (typeof c.new === 'number' && c.new > 0 ? `较上年新增${c.new}${def.unit || ''}` : ''),
        goal,
      }
    })
}

/**
 * Goals: [{metric, metric_name, target, current_value, baseline_value, baseline_year, progress
 * (percent), achieved, computation, unit, text}]. For the plan's "+2 亿元楼宇" the service counts
 * `current_value` as the buildings NEW since the baseline year, so progress is current ÷ target.
 */
export function shapeGoals(raw) {
  const seen = new Set()
  return listOf(raw)
    .map((g) => {
      const metric = pick(g, 'metric', 'key')
      const def = GOAL_DEFS[metric] || {}
      const progress = pick(g, 'progress')
      return {
        metric,
        label: pick(g, 'metric_name', 'label') || def.label || g.text || metric,
        text: g.text || '',
        target: pick(g, 'target'),
        current: pick(g, 'current_value', 'current', 'value'),
        baseline: null,
        baselineValue: pick(g, 'baseline_value', 'baseline'),
        baselineYear: pick(g, 'baseline_year'),
        unit: (typeof g.unit === 'string' && g.unit.length <= 2 && g.unit) || def.unit || '',
        increment: def.increment ?? false,
        progress: progress === undefined ? null : Number(progress) / 100,
        achieved: pick(g, 'achieved'),
        how: pick(g, 'computation', 'how', 'explanation') || '',
        year: pick(g, 'year'),
      }
    })
    // One goal per metric: the plan's own (listed first by the service) over one entered by hand.
    .filter((g) => g.metric && !seen.has(g.metric) && seen.add(g.metric))
}

/** Streets: [{code, name, tax_total, tax_district, yoy}] → bars on the chosen basis, largest first. */
export function shapeStreets(raw, basis = 'tax_total') {
  return listOf(raw)
    .map((s) => ({
      code: pick(s, 'code', 'street_code'),
      name: pick(s, 'name', 'street_name') || pick(s, 'code', 'street_code'),
      value: taxOf(s, basis),
      yoy: rateOf(pick(s, 'yoy', 'yoy_change')),
      buildings: pick(s, 'buildings', 'building_count'),
    }))
    .filter((s) => s.code)
    .sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity))
}

/**
 * The monthly lines: rows [{period|month: "YYYY-MM", tax_total, tax_district, previous?}]
 * → {months, series: [本期, 上年同期 (when given)]} on one basis. Months with no row are gaps.
 */
export function shapeTrend(raw, basis = 'tax_total', { period } = {}) {
  const rows = listOf(raw)
  const byMonth = new Map()
  for (const r of rows) {
    const m = pick(r, 'period', 'month')
    if (typeof m === 'string') byMonth.set(m.slice(0, 7), r)
  }
  let months = [...byMonth.keys()].sort()
  const p = parsePeriod(period || '')
  // A full year shows its twelve months even before they all have figures.
  if (p && p.kind === 'year') months = periodMonths(p)
  const value = (r) => (r ? taxOf(r, basis) : null)
  const prevKey = basis === 'tax_total' ? ['previous_tax_total', 'previous', 'last_year'] : ['previous_tax_district']
  const prev = (r) => {
    const v = r ? pick(r, ...prevKey) : undefined
    if (isObj(v)) return taxOf(v, basis)
    return v === undefined ? null : Number(v)
  }
  const year = months[0]?.slice(0, 4)
  const series = [{ name: year ? `${year}年` : '本期', values: months.map((m) => value(byMonth.get(m))) }]
  const previous = months.map((m) => prev(byMonth.get(m)))
  if (previous.some((v) => v !== null)) {
    series.push({ name: year ? `${Number(year) - 1}年同期` : '上年同期', values: previous, dashed: true })
  }
  return { months, series }
}

/** Theme mix: [{code, name, tax_total, buildings}] → ring slices on a basis, largest first. */
export function shapeThemes(raw, basis = 'tax_total') {
  return listOf(raw)
    .map((t) => ({
      code: pick(t, 'code', 'theme', 'theme_code'),
      name: pick(t, 'name', 'theme_name', 'label') || pick(t, 'code', 'theme'),
      value: taxOf(t, basis),
      buildings: pick(t, 'buildings', 'building_count'),
      share: pick(t, 'share'),
    }))
    .filter((t) => t.code || t.name)
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0))
}

/** Tier counts, largest tier first: [{key, label, hint, count, added}] (added = new vs last year). */
export function shapeTiers(raw) {
  const rows = new Map()
  const put = (key, v) => {
    const def = TIER_DEFS.find((d) => d.key === key || d.aliases.includes(key))
    if (!def) return
    if (isObj(v)) {
      const listed = pick(v, 'buildings', 'codes')
      const count = pick(v, 'count', 'value') ?? (Array.isArray(listed) ? listed.length : undefined)
      rows.set(def.key, { count, added: pick(v, 'new_count', 'new', 'added'), label: pick(v, 'label', 'name') })
    }
    else rows.set(def.key, { count: v, added: undefined })
  }
  if (Array.isArray(raw) || (isObj(raw) && Array.isArray(raw.items))) {
    for (const t of listOf(raw)) put(pick(t, 'tier', 'key', 'code'), t)
  } else if (isObj(raw)) {
    const counts = isObj(raw.counts) ? raw.counts : raw
    for (const [k, v] of Object.entries(counts)) put(k, v)
    if (isObj(raw.new)) for (const [k, v] of Object.entries(raw.new)) {
      const def = TIER_DEFS.find((d) => d.key === k || d.aliases.includes(k))
      if (def && rows.has(def.key)) rows.get(def.key).added = Array.isArray(v) ? v.length : v
    }
  }
  return TIER_DEFS.filter((d) => rows.has(d.key)).map((d) => {
    const r = rows.get(d.key)
    return { key: d.key, label: r.label || d.label, hint: d.hint, count: r.count ?? null, added: Array.isArray(r.added) ? r.added.length : (r.added ?? null) }
  })
}

/** Top buildings: [{code, name, street_name, tax_total, yoy, tier, is_demo}] on a basis, ranked. */
export function shapeBuildings(raw, basis = 'tax_total') {
  return listOf(raw)
    .map((b, i) => ({
      rank: pick(b, 'rank') ?? i + 1,
      code: pick(b, 'code', 'building_code'),
      name: pick(b, 'name', 'building_name') || pick(b, 'code', 'building_code'),
      streetName: pick(b, 'street_name') || '',
      streetCode: pick(b, 'street_code') || '',
      value: taxOf(b, basis),
      yoy: rateOf(pick(b, 'yoy', 'yoy_change')),
      tier: pick(b, 'tier_label', 'tier') || '',
      taxPerM2: pick(b, 'tax_per_m2_gfa', 'tax_per_m2', 'pingxiao'),
      occupancy: pick(b, 'occupancy_rate'),
      isDemo: Boolean(pick(b, 'is_demo')),
    }))
    .filter((b) => b.code)
}

const WARNING_KIND_LABELS = {
  tax_drop: '税收同比下降',
  tax_down: '税收同比下降',
  top_taxpayer_moved_out: '重点纳税企业迁出',
  big_taxpayer_moved_out: '重点纳税企业迁出',
  occupancy_drop: '入驻率下降',
  occupancy_down: '入驻率下降',
  vacancy_high: '空置率偏高',
}

/** Warnings: [{id, kind|rule, building_code, building_name, message, appeared_on}] newest first. */
export function shapeWarnings(raw) {
  return listOf(raw)
    .map((w, i) => {
      const kind = pick(w, 'kind', 'rule', 'rule_code', 'code') || ''
      return {
        id: pick(w, 'id') ?? `${kind}-${i}`,
        kind,
        kindLabel: pick(w, 'kind_label', 'rule_name', 'title') || WARNING_KIND_LABELS[kind] || '预警',
        buildingCode: pick(w, 'building_code'),
        buildingName: pick(w, 'building_name') || pick(w, 'building_code') || '',
        streetName: pick(w, 'street_name') || '',
        message: pick(w, 'message', 'detail', 'text', 'reason') || '',
        appearedOn: pick(w, 'first_seen_at', 'appeared_on', 'first_seen', 'created_at', 'date'),
        period: pick(w, 'period') || '',
        severity: pick(w, 'severity', 'level') || 'warning',
      }
    })
}

/**
 * The read model's sync state (GET /api/metrics/sync, or the dashboard's `sync`) → a badge:
 * {tone: ok|lagging|error|unknown, text, lag, lastOkAt, error}. `lag_events`: registry changes
 * not yet applied; `current_at`: when the read model was last known to be current.
 */
export function shapeSync(raw) {
  if (!isObj(raw)) return { tone: 'unknown', text: '同步状态未知', lag: null, lastOkAt: null, error: '' }
  // The dashboard gives {sources: [one per feed], rollups_pending}; /sync gives one source.
  const sources = Array.isArray(raw.sources) ? raw.sources.filter(isObj) : [raw]
  const lag = sources.reduce((sum, r) => sum + (Number(pick(r, 'lag_events', 'lag')) || 0), 0)
  const times = sources.map((r) => pick(r, 'current_at', 'last_ok_at')).filter(Boolean).map(String).sort()
  const lastOkAt = times.length === sources.length && times.length ? times[0] : (times[0] ?? null)
  let errorText = ''
  let down = false
  for (const r of sources) {
    const text = pick(r, 'last_error') || ''
    const at = pick(r, 'last_error_at')
    const ok = pick(r, 'current_at', 'last_ok_at')
    const latest = Boolean(text) && (!ok || (at && String(at) > String(ok)))
    if (pick(r, 'registry_reachable') === false || latest) {
      down = true
      errorText = errorText || text
    }
  }
  const pending = Number(pick(raw, 'rollups_pending')) || 0
  let tone = 'ok'
  if (down) tone = 'error'
  else if (lag > 0 || pending > 0) tone = 'lagging'
  else if (!lastOkAt) tone = 'unknown'
  const text = {
    ok: '数据已同步',
    lagging: lag > 0 ? `楼宇档案待同步${lag}条` : '指标正在更新',
    error: '楼宇档案同步中断',
    unknown: '尚未同步楼宇档案',
  }[tone]
  return { tone, text, lag, lastOkAt, error: errorText }
}

/** The whole answer, on one basis. */
export function shapeDashboard(raw, { basis = 'tax_total' } = {}) {
  const r = isObj(raw) ? raw : {}
  const periodValue = periodKeyOf(r.period)
  const asOf = pick(r, 'as_of', 'through', 'latest_month') ?? pick(r.period, 'through', 'as_of')
  const asOfMonth = typeof asOf === 'string' && /^\d{4}-\d{2}/.test(asOf) ? asOf.slice(0, 7) : null
  const p = parsePeriod(periodValue || '')
  const throughMonth = p && asOfMonth && Number(asOfMonth.slice(0, 4)) === p.year ? Number(asOfMonth.slice(5, 7)) : undefined
  const goals = shapeGoals(r.goals)
  const cards = shapeCards(r.cards, goals)
  // A goal no card answers to (招商共享中心: entered by hand) gets a card of its own.
  for (const g of goals) {
    if (cards.some((c) => c.goal === g)) continue
    cards.push({ key: g.metric, label: g.label, kind: 'count', unit: g.unit, value: g.current, yoy: null, previous: null, note: g.year ? `${g.year}年目标` : '', goal: g })
  }
  return {
    period: periodValue || null,
    periodLabel: parsePeriod(periodValue || '') ? formatPeriod(periodValue, { throughMonth }) : pick(r.period, 'label') || formatPeriod(periodValue),
    previousPeriod: previousYear(periodValue),
    asOf: asOf ?? null,
    years: listOf(pick(r, 'years', 'available_years')).map(Number).filter(Number.isFinite),
    sync: shapeSync(pick(r, 'sync')),
    cards,
    goals,
    streets: shapeStreets(r.tax_by_street, basis),
    trend: shapeTrend(r.monthly_trend, basis, { period: periodValue }),
    themes: shapeThemes(r.theme_mix, basis),
    tiers: shapeTiers(r.tiers),
    top: shapeBuildings(r.top_buildings, basis),
    warnings: shapeWarnings(r.warnings),
    isDemo: Boolean(pick(r, 'is_demo', 'demo')),
    // 'district' (leader, bureau, departments) or 'own' (a street's or a chief's buildings only).
    scope: pick(r.scope, 'level') || 'district',
  }
}
