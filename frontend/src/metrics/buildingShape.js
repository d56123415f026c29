/**
 * One building's figures (GET /api/metrics/buildings/{code}) and its tenants' tax
 * (…/enterprises) shaped for the building page's 税收 tab. Pure functions.
 */
import { listOf, pick, shapeCards } from '../dashboard/shape.js'
import { isKpiBody, kpiCards } from './kpiCards.js'

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v)

/** KPI cards of a building: its `kpis` (the service's KPI object), else a list or object of figures. */
export function buildingCards(raw) {
  const src = pick(raw, 'kpis', 'cards', 'figures')
  if (isKpiBody(src)) return kpiCards(src, { level: 'building' })
  if (Array.isArray(src)) return shapeCards(src)
  if (!isObj(src)) return []
  return shapeCards(src).filter((c) => c.value === null || typeof c.value !== 'object')
}

/**
 * The monthly series on both bases: rows [{period|month, tax_total, tax_district}] (or
 * `series: {tax_total: [...], tax_district: [...]}` with [{period, value}]) → {months, series}.
 */
export function buildingSeries(raw) {
  const byMonth = new Map()
  const put = (m, basis, v) => {
    if (typeof m !== 'string') return
    const key = m.slice(0, 7)
    if (!byMonth.has(key)) byMonth.set(key, {})
    byMonth.get(key)[basis] = v === null || v === undefined ? null : Number(v)
  }
  const rows = pick(raw, 'monthly', 'monthly_series', 'series', 'months')
  if (Array.isArray(rows)) {
    for (const r of rows) {
      const m = pick(r, 'period', 'month')
      put(m, 'tax_total', pick(r, 'tax_total'))
      put(m, 'tax_district', pick(r, 'tax_district'))
    }
  } else if (isObj(rows)) {
    for (const basis of ['tax_total', 'tax_district']) {
      for (const r of listOf(rows[basis])) put(pick(r, 'period', 'month'), basis, pick(r, 'value', basis))
    }
  }
  const months = [...byMonth.keys()].sort()
  const line = (basis) => months.map((m) => byMonth.get(m)[basis] ?? null)
  const series = [{ name: '全口径税收', values: line('tax_total') }]
  if (line('tax_district').some((v) => v !== null)) series.push({ name: '区级税收', values: line('tax_district') })
  return { months, series }
}

/**
 * The 特色楼宇 verdict (`featured`: {qualifies, summary, year, as_of, checks: [{theme, theme_name,
 * declared, qualifies, reasons}]}) → {qualifies, summary, year, asOf, checks} (qualifying and
 * declared themes first), or null when the answer has none.
 */
export function featuredVerdict(raw) {
  const v = pick(raw, 'featured', 'verdict', 'featured_verdict')
  if (!isObj(v)) return null
  const checks = listOf(pick(v, 'checks', 'themes_checked'))
    .filter(isObj)
    .map((c) => ({
      theme: pick(c, 'theme', 'theme_code') || '',
      themeName: pick(c, 'theme_name', 'name') || pick(c, 'theme') || '',
      declared: Boolean(pick(c, 'declared')),
      qualifies: Boolean(pick(c, 'qualifies')),
      reasons: listOf(pick(c, 'reasons')).map(String),
    }))
    .sort((a, b) => Number(b.qualifies) - Number(a.qualifies) || Number(b.declared) - Number(a.declared))
  return {
    qualifies: Boolean(pick(v, 'qualifies')),
    summary: pick(v, 'summary') || '',
    year: pick(v, 'year'),
    asOf: pick(v, 'as_of'),
    themeNames: listOf(pick(v, 'theme_names')),
    checks,
  }
}

/** Tenants with their tax: [{credit_code, name, tax_total, tax_district, share, area}] largest first. */
export function tenantTax(raw) {
  return listOf(raw)
    .map((e) => ({
      creditCode: pick(e, 'credit_code', 'code'),
      name: pick(e, 'name', 'enterprise_name') || pick(e, 'credit_code') || '',
      taxTotal: pick(e, 'tax_total', 'tax'),
      taxDistrict: pick(e, 'tax_district'),
      share: pick(e, 'share', 'tax_share', 'area_share'),
      area: pick(e, 'area', 'occupied_area'),
      industry: pick(e, 'industry_name', 'industry_code') || '',
      registered: pick(e, 'registered_in_district'),
      taxed: pick(e, 'taxed_in_district'),
      isDemo: Boolean(pick(e, 'is_demo')),
    }))
    .filter((e) => e.creditCode)
    .sort((a, b) => (Number(b.taxTotal) || 0) - (Number(a.taxTotal) || 0))
}
