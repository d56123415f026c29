import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { fakeFetch, jsonResponse, meBody, tokenBody } from '../../tests/helpers.js'
import { referenceRoutes } from '../../tests/registry.js'
import { resetSession } from '../api/http.js'
import { setupAuth } from '../auth/setup.js'
import { createAppRouter } from '../router/index.js'
import App from '../App.vue'

// Pages and charts are lazily loaded chunks: the first load in a busy test run is slow.
const until = (check) => vi.waitFor(check, { timeout: 10_000 })

beforeEach(() => {
  window.sessionStorage.clear()
  resetSession()
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
})
afterEach(() => {
  resetSession()
  document.body.innerHTML = ''
})

const card = (key, label, unit, value, extra = {}) => ({
  key,
  label,
  unit,
  value,
  previous: null,
  yoy: null,
  new: null,
  note: '',
  period: null,
  year: null,
  ...extra,
})
const month = (period, tax_total, tax_district, previous_tax_total) => ({
  period,
  tax_total,
  tax_district,
  revenue: null,
  previous_tax_total,
  previous_tax_district: null,
})

// The answer's exact shape (model Dashboard; a real one is tests/contract/fixtures/dashboard.json).
export const dashboardBody = (overrides = {}) => ({
  period: {
    key: '2025-09-YTD',
    label: '2025年1-9月',
    kind: 'ytd',
    year: 2025,
    months: 9,
    start: '2025-01-01',
    end: '2025-09-30',
    previous: '2024-09-YTD',
    annualisation: 1.333333,
  },
  as_of: '2025-09',
  years: [2025, 2024],
  is_demo: true,
  scope: { level: 'district', streets: null, buildings: 40 },
  cards: [
    card('tax_total', '全口径税收', '元', 2.56e9, { previous: 2.41e9, yoy: 0.061 }),
    card('tax_district', '区级税收', '元', 8.1e8, { previous: 8.3e8, yoy: -0.02 }),
    card('yiyuan_buildings', '亿元楼宇', '栋', 28, { new: 1, period: '2025-09-YTD' }),
    card('occupancy_rate', '入驻率', '比率', 0.853),
  ],
  goals: [
    {
      metric: 'yiyuan_buildings',
      metric_name: '亿元楼宇',
      comparison: 'increase',
      kind: 'count',
      measured_by: 'metrics',
      unit: '栋',
      year: 2025,
      target: '2',
      current_value: '1',
      progress: '50.0',
      achieved: false,
      computation: '2024年亿元楼宇 27 栋（基线）',
      text: '新增2栋亿元楼宇',
    },
  ],
  tax_by_street: [
    {
      code: '420106001',
      name: '积玉桥街道',
      kind: 'group',
      buildings: 20,
      tax_total: 1.2e9,
      tax_district: 4e8,
      previous_tax_total: 1.1e9,
      yoy: 0.1,
    },
    {
      code: '420106011',
      name: '中南路街道',
      kind: 'group',
      buildings: 20,
      tax_total: 9e8,
      tax_district: 3e8,
      previous_tax_total: null,
      yoy: null,
    },
    { code: '420106003', name: '徐家棚街道', kind: 'group', buildings: 0, tax_total: 0, tax_district: 0, previous_tax_total: 0, yoy: null },
    {
      code: '_unattributed',
      name: '未入楼企业',
      kind: 'unattributed',
      buildings: null,
      tax_total: 4.6e8,
      tax_district: 1.1e8,
      previous_tax_total: 4e8,
      yoy: 0.15,
    },
    {
      code: '_other',
      name: '其他/未分类（未填街道）',
      kind: 'other',
      buildings: 0,
      tax_total: 0,
      tax_district: 0,
      previous_tax_total: 0,
      yoy: null,
    },
  ],
  tax_by_street_total: {
    code: '_total',
    name: '合计',
    kind: 'total',
    buildings: 40,
    tax_total: 2.56e9,
    tax_district: 8.1e8,
    previous_tax_total: 2.41e9,
    yoy: 0.061,
  },
  monthly_trend: [month('2025-01', 3e8, 1e8, 2.8e8), month('2025-02', 2.6e8, 0.9e8, 2.5e8)],
  monthly_summary: [
    {
      code: '_months',
      name: '2025年1—9月各月之和',
      kind: 'group',
      tax_total: 2.5e9,
      tax_district: 8e8,
      previous_tax_total: 2.4e9,
      previous_tax_district: 8.2e8,
    },
    {
      code: '_other',
      name: '其他/未分类（按季度或全年报送的数）',
      kind: 'other',
      tax_total: 6e7,
      tax_district: 1e7,
      previous_tax_total: 1e7,
      previous_tax_district: 1e7,
    },
    {
      code: '_total',
      name: '合计',
      kind: 'total',
      tax_total: 2.56e9,
      tax_district: 8.1e8,
      previous_tax_total: 2.41e9,
      previous_tax_district: 8.3e8,
    },
  ],
  theme_mix: [
    { code: 'finance', name: '金融', kind: 'group', buildings: 5, tax_total: 9e8, tax_district: 3e8, share: 0.43 },
    { code: '_other', name: '无主题楼宇', kind: 'other', buildings: 35, tax_total: 1.2e9, tax_district: 4e8, share: 0.57 },
    {
      code: '_unattributed',
      name: '未入楼企业',
      kind: 'unattributed',
      buildings: null,
      tax_total: 4.6e8,
      tax_district: 1.1e8,
      share: null,
    },
  ],
  theme_mix_total: { code: '_total', name: '合计', kind: 'total', buildings: 40, tax_total: 2.56e9, tax_district: 8.1e8, share: null },
  tiers: [{ key: 'yiyuan', metric: 'yiyuan_buildings', label: '亿元楼宇', threshold: 1e8, count: 2, new: 1, period: '2025-09-YTD' }],
  top_buildings: [
    {
      rank: 1,
      code: '420106-0001',
      name: '阿里中心',
      street_code: '420106001',
      street_name: '积玉桥街道',
      zone: null,
      themes: [],
      is_demo: true,
      gfa: 1e5,
      leasable_area: 8e4,
      tax_total: 3.1e8,
      tax_district: 1e8,
      revenue: null,
      previous_tax_total: 2.8e8,
      previous_tax_district: null,
      yoy: 0.12,
      tax_per_m2_gfa: 4133,
      tax_per_m2_occupied: null,
      occupied_area: null,
      occupancy_rate: 0.9,
      tenants: 30,
      registered_tenants: 20,
      statistics_tenants: 10,
      tier: '亿元楼宇',
    },
  ],
  warnings: [
    {
      id: 1,
      rule: 'tax_drop',
      rule_name: '税收同比下降',
      building_code: '420106-0002',
      building_name: '中交大厦',
      street_code: '420106001',
      street_name: '积玉桥街道',
      subject: '',
      title: '税收同比下降 32%',
      message: '2025年1—9月全口径税收 0.8亿元，上年同期 1.2亿元',
      period: '2025-09-YTD',
      figures: {},
      first_seen_at: '2025-10-02T01:00:00Z',
      last_seen_at: '2025-10-08T01:00:00Z',
      resolved_at: null,
      active: true,
      kind: 'warning',
      severity: 'normal',
    },
    {
      id: 2,
      rule: 'not_reported',
      rule_name: '数据完整性',
      kind: 'data_completeness',
      severity: 'low',
      building_code: '420106-0009',
      building_name: '新登记大厦',
      street_code: '420106001',
      street_name: '积玉桥街道',
      subject: '',
      title: '数据完整性：尚未填报房源/可租面积',
      message: '数据完整性：新登记大厦尚未填报房源/可租面积（缺房源或入驻记录）',
      period: '2025-10-08',
      figures: { missing: ['房源或入驻记录'] },
      first_seen_at: '2025-10-08T01:00:00Z',
      last_seen_at: '2025-10-08T01:00:00Z',
      resolved_at: null,
      active: true,
    },
  ],
  sync: {
    sources: [
      {
        source: 'registry',
        cursor: 10,
        head: 10,
        lag_events: 0,
        lag_seconds: 0,
        registry_reachable: true,
        last_event_at: null,
        current_at: '2025-10-08T02:00:00Z',
        last_ok_at: '2025-10-08T02:00:00Z',
        last_error: null,
        last_error_at: null,
      },
    ],
    rollups_pending: 0,
    rollups_refreshed_at: null,
    rollups_rebuilt_at: null,
  },
  unattributed: null,
  featured: { year: 2025, count: 3 },
  ...overrides,
})

async function openCockpit(roles, { answer = () => jsonResponse(200, dashboardBody()), path = '/', title = '驾驶舱' } = {}) {
  const fetch = fakeFetch({
    'POST /api/auth/token': () => jsonResponse(200, tokenBody(1)),
    'GET /api/auth/me': () => jsonResponse(200, meBody({ roles })),
    ...referenceRoutes(),
    'GET /api/metrics/dashboard': answer,
  })
  vi.stubGlobal('fetch', fetch)
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createAppRouter(createMemoryHistory())
  const auth = setupAuth({ router, pinia })
  await auth.signIn({ username: 'u', password: 'p' })
  await router.push(path)
  const wrapper = mount(App, { global: { plugins: [pinia, router] }, attachTo: document.body })
  await until(() => expect(wrapper.find('h1').text()).toBe(title))
  await flushPromises()
  return { wrapper, router, fetch }
}

const metricsCalls = (fetch) => fetch.calls.filter((c) => c.path.startsWith('/api/metrics/'))

describe('驾驶舱', () => {
  it('shows the cards, goal, charts, tiers, top buildings and warnings from ONE call', async () => {
    const { wrapper, fetch } = await openCockpit(['leader'])
    await until(() => expect(wrapper.find('[data-testid="kpi-cards"]').exists()).toBe(true))
    const text = wrapper.text()
    expect(text).toContain('2025年1—9月累计')
    expect(wrapper.find('[data-testid="kpi-tax_total"]').text()).toContain('25.60亿元')
    expect(wrapper.find('[data-testid="kpi-tax_total"]').text()).toContain('+6.1%')
    expect(wrapper.find('[data-testid="kpi-yiyuan_buildings"]').text()).toContain('已新增1栋 / 目标新增2栋')
    expect(wrapper.find('[data-testid="kpi-yiyuan_buildings"]').text()).toContain('完成 50.0%')
    expect(wrapper.find('[data-testid="kpi-yiyuan_buildings"] [role="progressbar"]').attributes('aria-valuenow')).toBe('50')
    expect(wrapper.find('[data-testid="kpi-occupancy_rate"]').text()).toContain('85.3%')
    expect(wrapper.find('[data-testid="street-chart"] svg').exists()).toBe(true)
    expect(wrapper.find('[data-testid="trend-chart"] svg').exists()).toBe(true)
    expect(wrapper.find('[data-testid="tiers"]').text()).toContain('较上年新增1栋')
    expect(wrapper.find('[data-testid="top-buildings"]').text()).toContain('阿里中心')
    expect(wrapper.find('[data-testid="warnings"]').text()).toContain('税收同比下降 32%')
    expect(wrapper.find('[data-testid="sync-badge"]').text()).toContain('数据已同步')
    expect(wrapper.find('[data-testid="demo-banner"]').exists()).toBe(true)
    expect(metricsCalls(fetch).map((c) => c.path)).toEqual(['/api/metrics/dashboard'])
  })

  it('asks for the chosen period and opens a street with the period kept', async () => {
    const { wrapper, router, fetch } = await openCockpit(['leader'], { path: '/?period=2025-Q2' })
    await until(() => expect(wrapper.find('[data-testid="kpi-cards"]').exists()).toBe(true))
    expect(new URL(metricsCalls(fetch)[0].url, 'http://x').searchParams.get('period')).toBe('2025-Q2')
    const link = wrapper.find('[data-testid="street-breakdown-link-420106001"]')
    expect(link.attributes('href')).toBe('/dashboard/streets/420106001?period=2025-Q2')
    await router.push(link.attributes('href'))
    expect(router.currentRoute.value.name).toBe('metrics-street')
  })

  it("breaks the district figure down by street with 未入楼企业, 其他/未分类 and the answer's 合计", async () => {
    const { wrapper } = await openCockpit(['leader'])
    await until(() => expect(wrapper.find('[data-testid="street-breakdown"]').exists()).toBe(true))
    const table = wrapper.find('[data-testid="street-breakdown"]')
    const rows = table.findAll('tbody tr')
    expect(rows.map((r) => r.attributes('data-kind'))).toEqual(['group', 'group', 'group', 'unattributed', 'other'])
    // A street without buildings shows zeros; only streets link to their page.
    expect(rows[2].text()).toContain('徐家棚街道')
    expect(rows[2].text()).toContain('0元')
    expect(rows[3].text()).toContain('未入楼企业')
    expect(rows[3].text()).toContain('4.60亿元')
    expect(rows[3].find('a').exists()).toBe(false)
    expect(rows[4].text()).toContain('其他/未分类')
    // The 合计 is the answer's (= the 全口径税收 card), in the footer.
    const total = table.find('[data-testid="street-breakdown-total"]')
    expect(total.text()).toContain('合计')
    expect(total.text()).toContain('25.60亿元')
    expect(total.find('[data-value]').attributes('data-value')).toBe(String(2.56e9))
    expect(wrapper.find('[data-testid="kpi-tax_total"]').text()).toContain('25.60亿元')
    // Themes and months the same way.
    const themes = wrapper.find('[data-testid="theme-breakdown"]')
    expect(themes.findAll('tbody tr').map((r) => r.attributes('data-kind'))).toEqual(['group', 'other', 'unattributed'])
    expect(themes.find('[data-testid="theme-breakdown-total"]').text()).toContain('25.60亿元')
    const months = wrapper.find('[data-testid="month-breakdown"]')
    expect(months.text()).toContain('按季度或全年报送')
    expect(months.find('[data-testid="month-breakdown-total"]').text()).toContain('25.60亿元')
  })

  it('shows the figures of the 区级 basis in the breakdowns, with their 合计', async () => {
    const { wrapper } = await openCockpit(['leader'], { path: '/?basis=tax_district' })
    await until(() => expect(wrapper.find('[data-testid="street-breakdown-total"]').exists()).toBe(true))
    expect(wrapper.find('[data-testid="street-breakdown-total"]').text()).toContain('8.10亿元')
    expect(wrapper.find('[data-testid="street-breakdown"] tbody tr[data-kind="unattributed"]').text()).toContain('1.10亿元')
  })

  it('shows a 数据完整性 reminder as 提醒 after the warnings', async () => {
    const { wrapper } = await openCockpit(['leader'])
    await until(() => expect(wrapper.find('[data-testid="warnings"]').exists()).toBe(true))
    const items = wrapper.findAll('[data-testid="warnings"] li')
    expect(items[0].text()).toContain('预警')
    expect(items[1].classes()).toContain('is-low')
    expect(items[1].text()).toContain('提醒')
    expect(items[1].text()).toContain('数据完整性：新登记大厦尚未填报房源/可租面积')
  })

  it('says the figures cannot be shown when metrics is down, and offers 重试', async () => {
    const { wrapper } = await openCockpit(['bureau'], {
      answer: () => jsonResponse(503, { error: 'Upstream', detail: '指标服务暂时不可用，请稍后重试', request_id: 'r1' }),
    })
    await until(() => expect(wrapper.find('[data-testid="dashboard-error"]').exists()).toBe(true))
    expect(wrapper.text()).toContain('指标服务暂时不可用')
    expect(wrapper.text()).toContain('其他功能照常可用')
  })

  it('says when the period has no figures yet, and points the bureau to the upload', async () => {
    const { wrapper } = await openCockpit(['bureau'], {
      answer: () =>
        jsonResponse(
          200,
          dashboardBody({ cards: [card('tax_total', '全口径税收', '元', null)], tax_by_street: [], top_buildings: [], goals: [] }),
        ),
    })
    await until(() => expect(wrapper.text()).toContain('暂无税收数据'))
    expect(wrapper.text()).toContain('前往导入税收数据')
  })

  it('sends an administrator from the home page to 管理, without asking for figures', async () => {
    const { router, fetch } = await openCockpit(['admin'], { title: '管理' })
    expect(router.currentRoute.value.path).toBe('/admin')
    expect(metricsCalls(fetch)).toEqual([])
  })
})
