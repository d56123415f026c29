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

export const dashboardBody = (overrides = {}) => ({
  period: { key: '2025-09-YTD', label: '2025年1-9月', kind: 'ytd', year: 2025, previous: '2024-09-YTD' },
  as_of: '2025-09',
  years: [2025, 2024],
  is_demo: true,
  cards: [
    { key: 'tax_total', label: '全口径税收', value: 2.56e9, previous: 2.41e9, yoy: 0.061, unit: '元' },
    { key: 'tax_district', label: '区级税收', value: 8.1e8, previous: 8.3e8, yoy: -0.02, unit: '元' },
    { key: 'yiyuan_buildings', label: '亿元楼宇', value: 28, new: 1, period: '2025-09-YTD' },
    { key: 'occupancy_rate', label: '入驻率', value: 0.853 },
  ],
  goals: [
    { metric: 'yiyuan_buildings', metric_name: '亿元楼宇', comparison: 'increase', kind: 'count', measured_by: 'metrics', unit: '栋', year: 2025, target: '2', current_value: '1', progress: '50.0', achieved: false, computation: '2024年亿元楼宇 27 栋（基线）' },
  ],
  tax_by_street: [
    { code: '420106001', name: '积玉桥街道', tax_total: 1.2e9, tax_district: 4e8, yoy: 0.1 },
    { code: '420106011', name: '中南路街道', tax_total: 9e8, tax_district: 3e8 },
  ],
  monthly_trend: [
    { period: '2025-01', tax_total: 3e8, tax_district: 1e8, previous: 2.8e8 },
    { period: '2025-02', tax_total: 2.6e8, tax_district: 0.9e8, previous: 2.5e8 },
  ],
  theme_mix: [{ code: 'finance', name: '金融', tax_total: 9e8 }],
  tiers: [{ key: 'yiyuan', name: '亿元楼宇', buildings: ['a', 'b'], new: ['b'] }],
  top_buildings: [{ code: '420106-0001', name: '阿里中心', street_name: '积玉桥街道', tax_total: 3.1e8, yoy: 0.12, is_demo: true }],
  warnings: [{ id: 1, rule: 'tax_drop', building_code: '420106-0002', building_name: '中交大厦', title: '税收同比下降 32%', message: '2025年1—9月全口径税收 0.8亿元，上年同期 1.2亿元', first_seen_at: '2025-10-02T01:00:00Z' }],
  sync: { sources: [{ source: 'registry', lag: 0, current_at: '2025-10-08T02:00:00Z', last_error: null }], rollups_pending: 0 },
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
    const link = wrapper.find('[data-testid="street-420106001"]')
    expect(link.attributes('href')).toBe('/dashboard/streets/420106001?period=2025-Q2')
    await router.push(link.attributes('href'))
    expect(router.currentRoute.value.name).toBe('metrics-street')
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
      answer: () => jsonResponse(200, dashboardBody({ cards: [{ key: 'tax_total', label: '全口径税收', value: null }], tax_by_street: [], top_buildings: [], goals: [] })),
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
