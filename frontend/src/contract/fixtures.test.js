/**
 * The SPA's readers on the recorded metrics answers (the contract fixtures): every reader finds
 * every field it reads (no `undefined` in its result), every figure it shows has a definition in
 * the recorded catalogue, and a renamed field fails here as it fails tests/contract/test_contract.py.
 */
import { describe, expect, it } from 'vitest'
import { shapeBuildings, shapeDashboard, shapeRankingTotals, shapeStreets, shapeSync } from '../dashboard/shape.js'
import { buildingCards, buildingSeries, featuredVerdict, tenantTax } from '../metrics/buildingShape.js'
import { kpiCards, rankText } from '../metrics/kpiCards.js'
import { fixtures, undefinedPaths } from './fixtures.js'

const catalogue = new Map(fixtures.definitions().items.map((d) => [d.code, d]))
// The codes the figure tables' (?) name in their templates (DashboardPage, StreetPage, BuildingTaxTab).
const TABLE_CODES = ['tax_total', 'tax_district', 'tax_total_yoy', 'tax_per_m2_gfa', 'occupancy_rate', 'tier', 'attribution_share']

describe('the cockpit reads the recorded dashboard answer', () => {
  const d = shapeDashboard(fixtures.dashboard())
  it('finds every field of every block', () => {
    expect(undefinedPaths(d)).toEqual([])
    for (const block of ['cards', 'goals', 'streets', 'themes', 'tiers', 'top', 'warnings'])
      expect(d[block].length, block).toBeGreaterThan(0)
    expect(d.trend.months).toHaveLength(12)
    expect(d.period).toBe('2025')
    expect(d.sync.tone).not.toBe('unknown')
  })
  it('names a defined figure on every card and tier, with the catalogue name', () => {
    for (const c of d.cards) {
      expect(catalogue.has(c.key), c.key).toBe(true)
      expect(c.label).toBe(catalogue.get(c.key).name)
    }
    for (const t of d.tiers) expect(catalogue.has(t.metric), t.metric).toBe(true)
    for (const code of TABLE_CODES) expect(catalogue.has(code), code).toBe(true)
  })
  it('hands the goal through with its figures', () => {
    const card = d.cards.find((c) => c.key === 'yiyuan_buildings')
    expect(card.goal.metric).toBe('yiyuan_buildings')
    expect(Number(card.goal.target)).toBe(2)
    expect(card.goal.computation).toBeTruthy()
  })
  it('reads every breakdown with its 合计 (the card) and rows that add up to it', () => {
    const raw = fixtures.dashboard()
    const card = raw.cards.find((c) => c.key === 'tax_total').value
    for (const table of [d.streetTable, d.themeTable, d.monthTable]) {
      expect(undefinedPaths(table)).toEqual([])
      expect(table.total.kind).toBe('total')
      expect(table.total.value).toBeCloseTo(card, 2)
      const sum = table.rows.reduce((s, r) => s + (r.value ?? 0), 0)
      expect(Math.abs(sum - table.total.value)).toBeLessThanOrEqual(0.01)
    }
    expect(d.streetTable.rows.map((r) => r.kind)).toContain('unattributed')
    expect(d.streetTable.rows.map((r) => r.kind)).toContain('other')
    // The ring draws themes and 无主题楼宇, the bars streets only.
    expect(d.streets.every((s) => !s.code.startsWith('_'))).toBe(true)
    expect(d.themes.every((t) => ['group', 'other'].includes(t.kind))).toBe(true)
  })
  it('reads the warnings with their kind and severity', () => {
    expect(d.warnings.every((w) => w.category && ['warning', 'low'].includes(w.severity))).toBe(true)
  })
  it('fails when a field is renamed', () => {
    const body = fixtures.dashboard()
    body.tax_by_street = body.tax_by_street.map(({ name, ...rest }) => ({ ...rest, street_name: name }))
    expect(undefinedPaths(shapeDashboard(body))).toContain('$.streets[0].name')
  })
})

describe('the KPI screens read the recorded KPI answers', () => {
  it('makes the district and building cards, each a defined figure with its catalogue name', () => {
    for (const [answer, level] of [
      [fixtures.kpisDistrict(), 'district'],
      [fixtures.kpisBuilding(), 'building'],
    ]) {
      const cards = kpiCards(answer, { level })
      expect(undefinedPaths(cards)).toEqual([])
      for (const c of cards) expect(c.label, c.key).toBe(catalogue.get(c.key).name)
    }
    expect(rankText(fixtures.kpisBuilding().rank)).toMatch(/^全区第\d+位/)
  })
  it('reads a building page: cards, months, verdict, tenants', () => {
    const page = fixtures.building()
    expect(undefinedPaths(buildingCards(page))).toEqual([])
    const series = buildingSeries(page)
    expect(series.months).toHaveLength(12)
    expect(undefinedPaths(series)).toEqual([])
    expect(undefinedPaths(featuredVerdict(page))).toEqual([])
    const tenants = tenantTax(fixtures.buildingEnterprises())
    expect(tenants.length).toBeGreaterThan(0)
    expect(undefinedPaths(tenants)).toEqual([])
  })
  it('reads the rankings and the streets', () => {
    const rows = shapeBuildings(fixtures.rankings(), 'tax_district')
    expect(rows.length).toBeGreaterThan(0)
    expect(undefinedPaths(rows)).toEqual([])
    expect(undefinedPaths(shapeStreets(fixtures.streets()))).toEqual([])
    const { total, rest } = shapeRankingTotals(fixtures.rankings(), 'tax_total')
    expect(undefinedPaths(total)).toEqual([])
    expect(total.kind).toBe('total')
    expect(rest).toBeNull()
    const sum = shapeBuildings(fixtures.rankings()).reduce((s, b) => s + (b.value ?? 0), 0)
    expect(Math.abs(sum - total.value)).toBeLessThanOrEqual(0.01)
  })
  it('reads the sync block of the dashboard like GET /sync', () => {
    expect(undefinedPaths(shapeSync(fixtures.dashboard().sync))).toEqual([])
    expect(undefinedPaths(shapeSync(fixtures.dashboard().sync.sources[0]))).toEqual([])
  })
})
