import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { fakeFetch, jsonResponse, meBody, tokenBody } from '../../tests/helpers.js'
import { buildingBody, referenceRoutes } from '../../tests/registry.js'
import { resetSession } from '../api/http.js'
import { setupAuth } from '../auth/setup.js'
import { createAppRouter } from '../router/index.js'
import App from '../App.vue'

beforeEach(() => {
  window.sessionStorage.clear()
  resetSession()
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
})
afterEach(() => {
  resetSession()
  document.body.innerHTML = ''
})

const CODE = '420106-0007'

const metricsBody = {
  building: { code: CODE, name: '中交大厦', street_name: '积玉桥街道', gfa: 44800, is_demo: true },
  period: { key: '2025-06-YTD', label: '2025年1-6月', kind: 'ytd', year: 2025 },
  kpis: {
    tax_total: 1.2e8,
    tax_district: 3.9e7,
    revenue: null,
    buildings: 1,
    yoy: {
      tax_total: { previous: 1.0e8, change: 2e7, rate: 0.2 },
      tax_district: { previous: null, change: null, rate: null },
      revenue: { previous: null, change: null, rate: null },
    },
    occupancy_rate: 0.92,
    vacant_area: 2400,
    tenants: 31,
    registration_rate: 0.8,
    statistics_rate: 0.6,
    efficiency: { annualised: true, tax_total_per_m2_gfa: 5357.1, tax_total_per_m2_occupied: 6100 },
    rank: { district: { position: 3, of: 31 }, street: { position: 1, of: 4 } },
  },
  monthly: [
    { period: '2025-01', tax_total: 2.1e7, tax_district: 7e6 },
    { period: '2025-02', tax_total: 1.9e7, tax_district: 6e6 },
  ],
  tier: { period: '2025-06-YTD', label: '亿元楼宇', tax_total: 1.2e8 },
  featured: {
    year: 2025,
    as_of: '2025-06-30',
    qualifies: true,
    theme_names: ['金融'],
    summary: '符合特色楼宇（金融）',
    checks: [{ theme: 'finance', theme_name: '金融', declared: true, qualifies: true, reasons: ['金融企业占入驻面积 63%（阈值 50%）'] }],
  },
}

async function openTab(answer = () => jsonResponse(200, metricsBody)) {
  const fetch = fakeFetch({
    'POST /api/auth/token': () => jsonResponse(200, tokenBody(1)),
    'GET /api/auth/me': () => jsonResponse(200, meBody({ roles: ['leader'] })),
    ...referenceRoutes(),
    [`GET /api/registry/buildings/${CODE}`]: () => jsonResponse(200, buildingBody()),
    [`GET /api/registry/buildings/${CODE}/spaces`]: () => jsonResponse(200, []),
    [`GET /api/metrics/buildings/${CODE}`]: answer,
    [`GET /api/metrics/buildings/${CODE}/enterprises`]: () =>
      jsonResponse(200, {
        items: [
          { rank: 2, credit_code: '91420106MA4K000012', name: '武汉乙公司', tax_total: 2e6, tax_district: 6e5, share: 1 },
          { rank: 1, credit_code: '91420106MA4K000011', name: '武汉甲金融公司', tax_total: 3.2e7, tax_district: 1e7, share: 0.5 },
        ],
        total: 2,
      }),
  })
  vi.stubGlobal('fetch', fetch)
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createAppRouter(createMemoryHistory())
  const auth = setupAuth({ router, pinia })
  await auth.signIn({ username: 'u', password: 'p' })
  await router.push(`/buildings/${CODE}?tab=tax`)
  const wrapper = mount(App, { global: { plugins: [pinia, router] }, attachTo: document.body })
  // The tab is its own chunk: its first load in a test run is slow.
  await vi.waitFor(() => expect(wrapper.find('[data-testid="building-tax"]').exists()).toBe(true), { timeout: 15_000 })
  await flushPromises()
  return { wrapper, fetch }
}

describe('楼宇 税收指标 tab', () => {
  it('shows the KPIs, rank, series, 特色 verdict with its reasons, and tenants by tax', async () => {
    const { wrapper } = await openTab()
    await vi.waitFor(() => expect(wrapper.find('[data-testid="building-kpis"]').exists()).toBe(true), { timeout: 5000 })
    const kpis = wrapper.find('[data-testid="building-kpis"]').text()
    expect(kpis).toContain('1.20亿元')
    expect(kpis).toContain('+20.0%')
    expect(kpis).toContain('5,357元/㎡')
    expect(kpis).toContain('按全年折算')
    expect(wrapper.find('[data-testid="building-rank"]').text()).toContain('全区第3位（共31栋）')
    expect(wrapper.text()).toContain('亿元楼宇')
    expect(wrapper.find('[data-testid="trend-chart"] svg').exists()).toBe(true)
    const verdict = wrapper.find('[data-testid="featured-verdict"]').text()
    expect(verdict).toContain('符合特色楼宇条件（金融）')
    expect(verdict).toContain('金融企业占入驻面积 63%（阈值 50%）')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="tenant-tax"]').text()).toContain('武汉甲金融公司'), { timeout: 5000 })
    const tenants = wrapper.find('[data-testid="tenant-tax"]')
    const links = tenants.findAll('a')
    expect(links[0].text()).toBe('武汉甲金融公司')
    expect(links[0].attributes('href')).toBe('/enterprises/91420106MA4K000011')
    expect(tenants.text()).toContain('3,200.00万元')
    expect(tenants.text()).toContain('50.0%')
  })

  it('says so when the building is outside the user scope', async () => {
    const { wrapper } = await openTab(() => jsonResponse(404, { error: 'NotFound', detail: '楼宇不存在', request_id: 'r' }))
    await vi.waitFor(() => expect(wrapper.text()).toContain('不在您的查看范围内'), { timeout: 5000 })
  })
})
