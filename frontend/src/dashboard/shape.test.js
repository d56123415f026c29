import { describe, expect, it } from 'vitest'
import {
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

const GOALS = [
  {
    id: 1,
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
  },
  { id: 3, metric: 'sharing_centres', metric_name: '招商共享中心', unit: '个', year: 2025, target: '3', current_value: '2', progress: '66.7', achieved: false, computation: '由区商务局填报' },
]

describe('shapeGoals', () => {
  it('reads the service goals: current is the count achieved, progress a percent', () => {
    const [yi, centres] = shapeGoals({ items: GOALS })
    expect(yi).toMatchObject({ metric: 'yiyuan_buildings', label: '亿元楼宇', target: '2', current: '1', unit: '栋', increment: true, progress: 0.5, achieved: false })
    expect(yi.how).toContain('基线')
    expect(centres).toMatchObject({ metric: 'sharing_centres', increment: false, unit: '个' })
  })
  it('keeps one goal per metric (the plan first, then one entered by hand)', () => {
    const goals = shapeGoals([GOALS[0], { ...GOALS[0], id: 9, source: 'manual', target: '5' }])
    expect(goals).toHaveLength(1)
    expect(goals[0].target).toBe('2')
  })
})

describe('shapeCards', () => {
  it('accepts an object of figures and labels them, attaching goals', () => {
    const goals = shapeGoals(GOALS)
    const cards = shapeCards({ tax_total: { value: 2.5e9, yoy: 0.08 }, yiyuan_buildings: 28, occupancy_rate: 0.86 }, goals)
    expect(cards.map((c) => c.label)).toEqual(['全口径税收', '亿元楼宇', '入驻率'])
    expect(cards[0]).toMatchObject({ kind: 'money', value: 2.5e9, yoy: 0.08 })
    expect(cards[1]).toMatchObject({ kind: 'count', unit: '栋', value: 28 })
    expect(cards[1].goal.metric).toBe('yiyuan_buildings')
    expect(cards[2].goal).toBeNull()
  })
  it('reads the dashboard cards (a list with keys, labels, units, new)', () => {
    const cards = shapeCards([
      { key: 'tax_total', label: '全口径税收', value: 2.5e9, previous: 2.3e9, yoy: 0.087, unit: '元' },
      { key: 'yiyuan_buildings', label: '亿元楼宇', value: 28, new: 2, period: '2025-09-YTD' },
      { key: 'tax_per_m2_gfa', label: '坪效（按建筑面积）', value: 4373, unit: '元/㎡/年', note: '按全年折算' },
    ])
    expect(cards[0]).toMatchObject({ kind: 'money', value: 2.5e9, yoy: 0.087 })
    expect(cards[1]).toMatchObject({ kind: 'count', unit: '栋', note: '较上年新增2栋' })
    expect(cards[2]).toMatchObject({ kind: 'per_m2', note: '按全年折算' })
  })

  it('accepts a list with the server own labels', () => {
    const [c] = shapeCards([{ key: 'tax_per_m2_gfa', label: '坪效（建筑面积）', value: 4373 }])
    expect(c).toMatchObject({ kind: 'per_m2', label: '坪效（建筑面积）', value: 4373 })
  })
})

describe('street, theme and trend shaping', () => {
  const streets = [
    { code: '420106001', name: '积玉桥街道', tax_total: 1e9, tax_district: 3e8, yoy: 0.1 },
    { code: '420106011', name: '中南路街道', tax_total: 3e9, tax_district: 9e8 },
  ]
  it('ranks streets on the chosen basis', () => {
    expect(shapeStreets(streets).map((s) => s.name)).toEqual(['中南路街道', '积玉桥街道'])
    expect(shapeStreets(streets, 'tax_district')[0].value).toBe(9e8)
    expect(shapeStreets({ items: streets })[1].yoy).toBe(0.1)
  })
  it('ranks themes', () => {
    const t = shapeThemes([{ code: 'finance', name: '金融', tax_total: 5 }, { code: 'digital', name: '数字经济', tax_total: 9 }])
    expect(t.map((x) => x.name)).toEqual(['数字经济', '金融'])
  })
  it('lays months on the axis with gaps, and the year before when given', () => {
    const trend = shapeTrend(
      [
        { period: '2025-02', tax_total: 2e8, previous: 1.5e8 },
        { period: '2025-01', tax_total: 1e8, previous: 1.2e8 },
      ],
      'tax_total',
      { period: '2025' },
    )
    expect(trend.months).toHaveLength(12)
    expect(trend.series[0]).toMatchObject({ name: '2025年' })
    expect(trend.series[0].values.slice(0, 3)).toEqual([1e8, 2e8, null])
    expect(trend.series[1]).toMatchObject({ name: '2024年同期', dashed: true })
  })
  it('draws one line when there is no year before', () => {
    const trend = shapeTrend([{ month: '2025-03', tax_total: 1 }], 'tax_total', { period: '2025-Q1' })
    expect(trend.months).toEqual(['2025-03'])
    expect(trend.series).toHaveLength(1)
  })
})

describe('shapeTiers', () => {
  it('reads the rollups tiers (buildings and new ones listed), largest tier first', () => {
    const tiers = shapeTiers([
      { key: 'qianwan', name: '千万元楼宇', buildings: ['a', 'b', 'c'], new: ['c'] },
      { key: 'yiyuan', name: '亿元楼宇', buildings: ['a'], new: [] },
      { key: 'yueyi', buildings: [] },
    ])
    expect(tiers.map((t) => t.key)).toEqual(['yiyuan', 'qianwan', 'yueyi'])
    expect(tiers[1]).toMatchObject({ label: '千万元楼宇', count: 3, added: 1 })
    expect(tiers[0]).toMatchObject({ count: 1, added: 0 })
  })
  it('reads plain counts too', () => {
    expect(shapeTiers({ yiyuan: 27, shiyi: 2 }).map((t) => [t.key, t.count])).toEqual([
      ['shiyi', 2],
      ['yiyuan', 27],
    ])
  })
})

describe('shapeWarnings', () => {
  it('takes the warning service rows', () => {
    const [w] = shapeWarnings([
      { id: 7, rule: 'tax_drop', building_code: '420106-001', building_name: '阿里中心', title: '税收同比下降 32%', message: '2025年1—6月全口径税收 1.2亿元，上年同期 1.8亿元', first_seen_at: '2025-07-03T02:00:00Z' },
    ])
    expect(w).toMatchObject({ id: 7, kind: 'tax_drop', kindLabel: '税收同比下降 32%', buildingName: '阿里中心', appearedOn: '2025-07-03T02:00:00Z' })
  })
})

describe('shapeSync', () => {
  it('is green when current, amber while behind, red when the registry cannot be read', () => {
    expect(shapeSync({ lag_events: 0, registry_reachable: true, current_at: '2025-07-01T00:00:00Z' })).toMatchObject({ tone: 'ok', text: '数据已同步' })
    expect(shapeSync({ lag_events: 12, registry_reachable: true, current_at: '2025-07-01T00:00:00Z' })).toMatchObject({ tone: 'lagging', text: '楼宇档案待同步12条' })
    expect(shapeSync({ lag_events: 0, registry_reachable: false, last_error: '连接被拒绝' })).toMatchObject({ tone: 'error', error: '连接被拒绝' })
    expect(shapeSync(null).tone).toBe('unknown')
  })
  it('reads the dashboard sync block (one row per feed, rollups pending)', () => {
    const ok = { sources: [{ source: 'registry', lag: 0, current_at: '2025-07-01T00:00:00Z', last_error: null }], rollups_pending: 0 }
    expect(shapeSync(ok)).toMatchObject({ tone: 'ok', lastOkAt: '2025-07-01T00:00:00Z' })
    expect(shapeSync({ ...ok, rollups_pending: 30 })).toMatchObject({ tone: 'lagging', text: '指标正在更新' })
    expect(shapeSync({ sources: [{ lag: 5, current_at: '2025-07-01T00:00:00Z' }] }).text).toBe('楼宇档案待同步5条')
  })

  it('forgets an error older than the last good catch-up', () => {
    const s = shapeSync({ lag_events: 0, registry_reachable: true, last_error: '超时', last_error_at: '2025-07-01T00:00:00Z', current_at: '2025-07-02T00:00:00Z' })
    expect(s.tone).toBe('ok')
  })
})

describe('shapeDashboard', () => {
  it('shapes the whole answer and gives a goal without a card its own card', () => {
    const d = shapeDashboard({
      period: '2025-YTD',
      as_of: '2025-09',
      cards: { tax_total: { value: 2e9, yoy: 0.05 }, yiyuan_buildings: { value: 28 } },
      goals: GOALS,
      tax_by_street: [{ code: '420106001', name: '积玉桥街道', tax_total: 1e9 }],
      monthly_trend: [{ period: '2025-01', tax_total: 1e8 }],
      theme_mix: [],
      tiers: [],
      top_buildings: [{ code: '420106-001', name: '阿里中心', street_name: '积玉桥街道', tax_total: 3e8, yoy: -0.1 }],
      warnings: [],
      sync: { lag_events: 0, registry_reachable: true, current_at: '2025-10-01T00:00:00Z' },
    })
    expect(d.periodLabel).toBe('2025年1—9月累计')
    expect(d.previousPeriod).toBe('2024-YTD')
    expect(d.cards.map((c) => c.key)).toEqual(['tax_total', 'yiyuan_buildings', 'sharing_centres'])
    expect(d.cards[2]).toMatchObject({ label: '招商共享中心', value: '2', unit: '个' })
    expect(d.top[0]).toMatchObject({ rank: 1, name: '阿里中心', streetName: '积玉桥街道' })
    expect(d.sync.tone).toBe('ok')
    expect(d.scope).toBe('district')
  })
  it('survives an empty answer', () => {
    const d = shapeDashboard({})
    expect(d.cards).toEqual([])
    expect(d.streets).toEqual([])
    expect(d.periodLabel).toBe('—')
  })
})
