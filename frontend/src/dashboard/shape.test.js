import { describe, expect, it } from 'vitest'
import { fixtures } from '../contract/fixtures.js'
import {
  kindOfUnit,
  shapeBreakdown,
  shapeRankingTotals,
  shapeCards,
  shapeDashboard,
  shapeGoals,
  shapeStreets,
  shapeSync,
  shapeThemes,
  shapeTiers,
  shapeTrend,
  shapeWarnings,
} from './shape.js'

const GOAL = {
  id: 1,
  source: 'tasks',
  metric: 'yiyuan_buildings',
  metric_name: '亿元楼宇',
  text: '新增亿元楼宇2栋',
  unit: '栋',
  year: 2025,
  target: '2',
  baseline_year: 2024,
  baseline_value: '27',
  current_value: '1',
  progress: '50.0',
  achieved: false,
  computation: '2024年亿元楼宇 27 栋（基线）；2025年新增 1 栋',
}
const CENTRES = {
  ...GOAL,
  id: 3,
  metric: 'sharing_centres',
  metric_name: '招商共享中心',
  unit: '个',
  target: '3',
  current_value: '2',
  progress: '66.7',
  computation: '由区商务局填报',
}

describe('goals', () => {
  it('hands the service goals through, one per metric (the plan first, then one entered by hand)', () => {
    const goals = shapeGoals([GOAL, { ...GOAL, id: 9, source: 'manual', target: '5' }, CENTRES])
    expect(goals).toEqual([GOAL, CENTRES])
  })
})

describe('shapeCards', () => {
  it('reads the cards: kind from the catalogue unit, measure word of counts, goals by code', () => {
    const cards = shapeCards(
      [
        {
          key: 'tax_total',
          label: '全口径税收',
          unit: '元',
          value: 2.5e9,
          previous: 2.3e9,
          yoy: 0.08,
          new: null,
          note: '',
          period: null,
          year: null,
        },
        {
          key: 'yiyuan_buildings',
          label: '亿元楼宇',
          unit: '栋',
          value: 28,
          previous: null,
          yoy: null,
          new: 1,
          note: '',
          period: '2025',
          year: null,
        },
        {
          key: 'occupancy_rate',
          label: '入驻率',
          unit: '比率',
          value: 0.86,
          previous: null,
          yoy: null,
          new: null,
          note: '',
          period: null,
          year: null,
          on: '2025-06-30',
        },
      ],
      [GOAL],
    )
    expect(cards.map((c) => [c.key, c.kind, c.unit])).toEqual([
      ['tax_total', 'money', ''],
      ['yiyuan_buildings', 'count', '栋'],
      ['occupancy_rate', 'percent', ''],
    ])
    expect(cards[1]).toMatchObject({ note: '较上年新增1栋', goal: GOAL })
    expect(cards[2].on).toBe('2025-06-30')
    expect(['元/㎡/年', '㎡', '家'].map(kindOfUnit)).toEqual(['per_m2', 'area', 'count'])
  })
})

describe('street, theme and trend shaping', () => {
  const streets = [
    { code: '420106001', name: '积玉桥街道', buildings: 3, tax_total: 1e9, tax_district: 3e8, previous_tax_total: null, yoy: 0.1 },
    { code: '420106011', name: '中南路街道', buildings: 2, tax_total: 3e9, tax_district: 9e8, previous_tax_total: null, yoy: null },
  ]
  it('ranks streets on the chosen basis', () => {
    expect(shapeStreets(streets).map((s) => s.name)).toEqual(['中南路街道', '积玉桥街道'])
    expect(shapeStreets(streets, 'tax_district')[0].value).toBe(9e8)
    expect(shapeStreets(streets)[1].yoy).toBe(0.1)
  })
  it('ranks themes', () => {
    const t = shapeThemes([
      { code: 'finance', name: '金融', buildings: 1, tax_total: 5, tax_district: 2, share: 0.3 },
      { code: 'digital', name: '数字经济', buildings: 1, tax_total: 9, tax_district: 3, share: 0.7 },
    ])
    expect(t.map((x) => x.name)).toEqual(['数字经济', '金融'])
  })
  it('lays months on the axis with gaps, and the year before when given', () => {
    const row = (period, v, p) => ({
      period,
      tax_total: v,
      tax_district: null,
      revenue: null,
      previous_tax_total: p,
      previous_tax_district: null,
    })
    const trend = shapeTrend([row('2025-02', 2e8, 1.5e8), row('2025-01', 1e8, 1.2e8)], 'tax_total', { period: '2025' })
    expect(trend.months).toHaveLength(12)
    expect(trend.series[0]).toMatchObject({ name: '2025年' })
    expect(trend.series[0].values.slice(0, 3)).toEqual([1e8, 2e8, null])
    expect(trend.series[1]).toMatchObject({ name: '2024年同期', dashed: true })
    expect(shapeTrend([row('2025-03', 1, null)], 'tax_total', { period: '2025-Q1' }).series).toHaveLength(1)
  })
})

describe('shapeTiers', () => {
  it('reads the tier counts largest first, with their catalogue codes and the new ones', () => {
    const tiers = shapeTiers(fixtures.dashboard().tiers)
    expect(tiers.map((t) => t.key)).toEqual(['shiyi', 'yiyuan', 'wuqianwan', 'qianwan', 'yueyi'])
    expect(tiers[1]).toMatchObject({ metric: 'yiyuan_buildings', label: '亿元楼宇' })
    expect(tiers[4].added).toBeNull()
  })
})

describe('shapeWarnings', () => {
  it('takes the warning service rows', () => {
    const [w] = shapeWarnings(fixtures.dashboard().warnings)
    expect(w).toMatchObject({ kind: 'vacancy_high', buildingCode: 'B2', streetName: '积玉桥街道', appearedOn: '2025-07-01T00:00:00Z' })
    expect(w.kindLabel).toBeTruthy()
  })

  it('names the 严重程度 and draws a severe warning red', () => {
    const [severe, minor, reminder] = shapeWarnings([
      { id: 1, rule: 'tax_drop', kind: 'warning', severity: 'normal', level: 'severe', level_name: '严重' },
      { id: 2, rule: 'vacancy_high', kind: 'warning', severity: 'normal', level: 'minor', level_name: '一般' },
      { id: 3, rule: 'not_reported', kind: 'data_completeness', severity: 'low', level: 'minor', level_name: '一般' },
    ])
    expect(severe).toMatchObject({ severity: 'critical', levelName: '严重' })
    expect(minor).toMatchObject({ severity: 'warning', levelName: '一般' })
    expect(reminder).toMatchObject({ severity: 'low', levelName: '' })
  })
})

describe('shapeSync', () => {
  const ok = {
    source: 'registry',
    cursor: 5,
    head: 5,
    lag_events: 0,
    lag_seconds: 0,
    registry_reachable: true,
    current_at: '2025-07-01T00:00:00Z',
    last_error: null,
  }
  it('is green when current, amber while behind, red when the registry cannot be read', () => {
    expect(shapeSync(ok)).toMatchObject({ tone: 'ok', text: '数据已同步', lastOkAt: '2025-07-01T00:00:00Z' })
    expect(shapeSync({ ...ok, lag_events: 12 })).toMatchObject({ tone: 'lagging', text: '楼宇档案待同步12条' })
    expect(shapeSync({ ...ok, registry_reachable: false, last_error: '连接被拒绝' })).toMatchObject({ tone: 'error', error: '连接被拒绝' })
    expect(shapeSync(null).tone).toBe('unknown')
  })
  it('reads the dashboard sync block (one SyncStatus per feed, rollups pending)', () => {
    expect(shapeSync({ sources: [ok], rollups_pending: 0 }).tone).toBe('ok')
    expect(shapeSync({ sources: [ok], rollups_pending: 30 })).toMatchObject({ tone: 'lagging', text: '指标正在更新' })
    expect(shapeSync({ sources: [{ ...ok, current_at: null }], rollups_pending: 0 }).tone).toBe('unknown')
  })
})

describe('shapeDashboard', () => {
  it('shapes the recorded answer and gives a goal without a card its own card', () => {
    const body = fixtures.dashboard()
    body.goals.push(CENTRES)
    const d = shapeDashboard(body)
    expect(d.periodLabel).toBe('2025年全年')
    expect(d.previousPeriod).toBe('2024')
    expect(d.cards.at(-1)).toMatchObject({ key: 'sharing_centres', label: '招商共享中心', value: 2, unit: '个', goal: CENTRES })
    expect(d.top[0]).toMatchObject({ rank: 1, code: 'B2' })
    expect(d.scope).toBe('district')
  })
  it('survives an empty answer', () => {
    const d = shapeDashboard({})
    expect(d.cards).toEqual([])
    expect(d.streets).toEqual([])
    expect(d.periodLabel).toBe('')
  })
})

describe("breakdowns: the answer's rows and 合计, never summed here", () => {
  const rows = [
    {
      code: '420106001',
      name: '积玉桥街道',
      kind: 'group',
      buildings: 2,
      tax_total: 300,
      tax_district: 150,
      previous_tax_total: 200,
      yoy: 0.5,
    },
    {
      code: '_unattributed',
      name: '未入楼企业',
      kind: 'unattributed',
      buildings: null,
      tax_total: 10,
      tax_district: 5,
      previous_tax_total: 10,
      yoy: 0,
    },
  ]
  const total = {
    code: '_total',
    name: '合计',
    kind: 'total',
    buildings: 2,
    tax_total: 310,
    tax_district: 155,
    previous_tax_total: 210,
    yoy: 0.4762,
  }
  it('keeps the order and kinds, and takes the 合计 as given', () => {
    const t = shapeBreakdown(rows, total)
    expect(t.rows.map((r) => [r.kind, r.value])).toEqual([
      ['group', 300],
      ['unattributed', 10],
    ])
    expect(t.total).toMatchObject({ kind: 'total', name: '合计', value: 310, yoy: 0.4762 })
  })
  it('reads the 区级 basis, where the 全口径 同比 does not apply', () => {
    const t = shapeBreakdown(rows, total, 'tax_district')
    expect(t.total.value).toBe(155)
    expect(t.rows.every((r) => r.yoy === null)).toBe(true)
  })
  it('finds the 合计 in the rows when it is the last one (monthly_summary)', () => {
    const t = shapeBreakdown([...rows, total], null)
    expect(t.rows).toHaveLength(2)
    expect(t.total.value).toBe(310)
  })
  it('leaves 未入楼企业 and 其他 out of the street bars', () => {
    expect(shapeStreets(rows).map((s) => s.code)).toEqual(['420106001'])
  })
  it("reads a ranking's 合计 and the buildings not on the page", () => {
    const t = shapeRankingTotals({ total_row: total, rest_row: { ...rows[0], code: '_rest', kind: 'other' } })
    expect(t.total.value).toBe(310)
    expect(t.rest.kind).toBe('other')
    expect(shapeRankingTotals({}).total).toBeNull()
  })
})
