/**
 * One building's figures (GET /api/metrics/buildings/{code}, model `BuildingPage`) and its
 * tenants' tax (…/enterprises, model `BuildingEnterprises`) shaped for the building page's
 * 税收 tab, reading the answers' exact field names. Pure functions.
 */
import { listOf } from '../dashboard/shape.js'
import { kpiCards } from './kpiCards.js'

/** KPI cards of a building (its `kpis`). */
export function buildingCards(page) {
  return page?.kpis ? kpiCards(page.kpis, { level: 'building' }) : []
}

/** The monthly series on both bases: `monthly` [{period, tax_total, tax_district}] → {months, series}. */
export function buildingSeries(page) {
  const rows = listOf(page?.monthly)
  const months = rows.map((r) => r.period)
  const line = (basis) => rows.map((r) => (r[basis] === null ? null : Number(r[basis])))
  const series = [{ name: '全口径税收', values: line('tax_total') }]
  if (line('tax_district').some((v) => v !== null)) series.push({ name: '区级税收', values: line('tax_district') })
  return { months, series }
}

/**
 * The 特色楼宇 verdict (`featured`: {qualifies, summary, year, as_of, theme_names, checks: [{theme,
 * theme_name, declared, qualifies, reasons}]}) → {qualifies, summary, year, asOf, themeNames,
 * checks} (qualifying and declared themes first), or null when the answer has none.
 */
export function featuredVerdict(page) {
  const v = page?.featured
  if (!v) return null
  const checks = v.checks
    .map((c) => ({ theme: c.theme, themeName: c.theme_name, declared: c.declared, qualifies: c.qualifies, reasons: c.reasons }))
    .sort((a, b) => Number(b.qualifies) - Number(a.qualifies) || Number(b.declared) - Number(a.declared))
  return { qualifies: v.qualifies, summary: v.summary, year: v.year, asOf: v.as_of, themeNames: v.theme_names, checks }
}

/** Tenants with their tax attributed to the building (`items` of …/enterprises), largest first. */
export function tenantTax(answer) {
  return listOf(answer)
    .map((e) => ({
      creditCode: e.credit_code,
      name: e.name || e.credit_code,
      taxTotal: e.tax_total,
      taxDistrict: e.tax_district,
      share: e.share,
      industry: e.industry_code || '',
      registered: e.registered_in_district,
      inStatistics: e.in_statistics,
    }))
    .sort((a, b) => (Number(b.taxTotal) || 0) - (Number(a.taxTotal) || 0))
}
