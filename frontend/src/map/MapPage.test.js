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

// Leaflet itself needs a laid-out browser (tests/browser/test_map.py drives it): here the
// canvas is stubbed and the page around it is checked.
const until = (check) => vi.waitFor(check, { timeout: 10_000 })

beforeEach(() => {
  window.sessionStorage.clear()
  resetSession()
})
afterEach(() => {
  resetSession()
  document.body.innerHTML = ''
})

const OUTLINE = {
  type: 'FeatureCollection',
  approximate: true,
  label: '示意边界（近似，非标准地图）',
  features: [
    {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [114.28, 30.47],
            [114.39, 30.47],
            [114.39, 30.63],
            [114.28, 30.47],
          ],
        ],
      },
    },
  ],
}

const item = (code, name, over = {}) => ({
  code,
  name,
  street_code: '420106001',
  street_name: '积玉桥街道',
  zone: '',
  lng: 114.305,
  lat: 30.566,
  gfa: 50000,
  leasable_area: 40000,
  tax_total: null,
  tax_district: null,
  tier: null,
  tier_label: '',
  themes: [],
  featured_themes: [],
  occupancy_rate: null,
  vacancy_rate: null,
  tenants: null,
  is_demo: true,
  ...over,
})

export const mapBody = (over = {}) => ({
  year: 2025,
  years: [2025, 2024],
  period: { key: '2025-09-YTD', label: '2025年1-9月', kind: 'ytd', year: 2025 },
  stock_month: '2025-09',
  figures_on: '2025-09-30',
  street: null,
  streets: [
    { code: '420106001', name: '积玉桥街道', buildings: 3 },
    { code: '420106002', name: '杨园街道', buildings: 1 },
  ],
  themes: [
    { code: 'finance', name: '金融' },
    { code: 'digital', name: '数字经济' },
  ],
  tiers: [],
  buildings: [
    item('B1', '长江金融大厦', {
      tier: 'yiyuan',
      tier_label: '亿元楼宇',
      tax_total: 123456789,
      vacancy_rate: 0.05,
      featured_themes: ['finance'],
      themes: ['finance'],
    }),
    item('B2', '数创大厦', { tax_total: 9e6, vacancy_rate: 0.42, themes: ['digital'] }),
    item('B3', '杨园中心', {
      street_code: '420106002',
      street_name: '杨园街道',
      tier: 'qianwan',
      tier_label: '千万元楼宇',
      tax_total: 2e7,
    }),
  ],
  unplaced: [item('B4', '无坐标大厦', { lng: null, lat: null, tax_total: 5e5 })],
  total: 4,
  outline: OUTLINE,
  ...over,
})

async function openMap({ answer = () => jsonResponse(200, mapBody()), path = '/map', roles = ['leader'] } = {}) {
  const fetch = fakeFetch({
    'POST /api/auth/token': () => jsonResponse(200, tokenBody(1)),
    'GET /api/auth/me': () => jsonResponse(200, meBody({ roles })),
    'GET /api/auth/ui-config': () =>
      jsonResponse(200, { map: { enabled: false, tile_url: null, label_url: null, subdomains: [], attribution: '' } }),
    ...referenceRoutes(),
    'GET /api/metrics/map': answer,
  })
  vi.stubGlobal('fetch', fetch)
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createAppRouter(createMemoryHistory())
  const auth = setupAuth({ router, pinia })
  await auth.signIn({ username: 'u', password: 'p' })
  await router.push(path)
  const wrapper = mount(App, {
    global: { plugins: [pinia, router], stubs: { MapCanvas: { template: '<div data-testid="map-canvas-stub" />' } } },
    attachTo: document.body,
  })
  await until(() => expect(wrapper.find('h1').text()).toBe('地图'))
  await flushPromises()
  return { wrapper, router, fetch }
}

const mapCalls = (fetch) => fetch.calls.filter((c) => c.path === '/api/metrics/map')
const legend = (wrapper) => wrapper.findAll('[data-testid="map-legend"] li').map((li) => li.text().replace(/\s+/g, ''))

describe('地图', () => {
  it('shows the legend with counts, the table and the buildings without coordinates from one call', async () => {
    const { wrapper, fetch } = await openMap()
    await until(() => expect(wrapper.find('[data-testid="map-table"]').exists()).toBe(true))
    expect(mapCalls(fetch)).toHaveLength(1)
    expect(wrapper.find('[data-testid="map-canvas-stub"]').exists()).toBe(true)
    expect(legend(wrapper)).toEqual(['10亿元及以上0栋', '1亿–10亿元1栋', '5000万–1亿元0栋', '1000万–5000万元1栋', '未达1000万元1栋'])
    const rows = wrapper.findAll('[data-testid="map-table"] tbody tr')
    // Largest tax first, money formatted with its unit.
    expect(rows.map((r) => r.attributes('data-code'))).toEqual(['B1', 'B3', 'B2'])
    expect(rows[0].text()).toContain('1.23亿元')
    expect(rows[0].text()).toContain('5.0%')
    expect(rows[0].find('a').attributes('href')).toBe('/buildings/B1')
    expect(wrapper.find('[data-testid="map-summary"]').text()).toContain('图上 3 栋，未标注坐标 1 栋')
    const unplaced = wrapper.find('[data-testid="map-unplaced"]')
    expect(unplaced.text()).toContain('无坐标大厦')
    expect(unplaced.text()).toContain('50.00万元')
    expect(wrapper.text()).toContain('示意边界（近似，非标准地图）')
    expect(wrapper.text()).toContain('未配置在线底图')
  })

  it('switches the colouring in the address and the legend', async () => {
    const { wrapper, router } = await openMap()
    await until(() => expect(wrapper.find('[data-testid="map-legend"]').exists()).toBe(true))
    await router.replace({ query: { colour: 'vacancy' } })
    await flushPromises()
    expect(legend(wrapper)).toEqual(['低于10%1栋', '10%–20%0栋', '20%–30%0栋', '30%及以上1栋', '未填报或在建1栋'])
    await router.replace({ query: { colour: 'theme' } })
    await flushPromises()
    expect(legend(wrapper)).toEqual(['金融1栋', '数字经济1栋', '无特色主题1栋'])
    expect(wrapper.text()).toContain('空心圆')
  })

  it('asks again for a street and a year chosen in the address', async () => {
    const { wrapper, router, fetch } = await openMap()
    await until(() => expect(mapCalls(fetch)).toHaveLength(1))
    await router.replace({ query: { street: '420106002', year: '2024' } })
    await flushPromises()
    await until(() => expect(mapCalls(fetch)).toHaveLength(2))
    const url = new URL(mapCalls(fetch)[1].url, 'http://localhost')
    expect(url.searchParams.get('street')).toBe('420106002')
    expect(url.searchParams.get('year')).toBe('2024')
    expect(wrapper.find('h1').text()).toBe('地图')
  })

  it('says so when there is nothing to show', async () => {
    const { wrapper } = await openMap({
      answer: () => jsonResponse(200, mapBody({ buildings: [], unplaced: [], total: 0, streets: [] })),
      roles: ['chief'],
    })
    await until(() => expect(wrapper.find('.empty-state').exists()).toBe(true))
    expect(wrapper.find('.empty-state').text()).toContain('暂无可显示的楼宇')
    expect(wrapper.find('[data-testid="map-table"]').exists()).toBe(false)
  })

  it('shows the server message and retries', async () => {
    let fail = true
    const { wrapper, fetch } = await openMap({
      answer: () =>
        fail
          ? jsonResponse(404, { error: 'StreetNotFound', detail: '街道 420106002 不存在或不在您的管辖范围', request_id: 'r1' })
          : jsonResponse(200, mapBody()),
      path: '/map?street=420106002',
      roles: ['street'],
    })
    await until(() => expect(wrapper.find('[role="alert"]').exists()).toBe(true))
    expect(wrapper.find('[role="alert"]').text()).toContain('不在您的管辖范围')
    fail = false
    await wrapper.find('[role="alert"] button').trigger('click')
    await until(() => expect(wrapper.find('[data-testid="map-table"]').exists()).toBe(true))
    expect(mapCalls(fetch)).toHaveLength(2)
  })

  it('offers the whole list when the street in the address is not the user’s', async () => {
    const { wrapper, router, fetch } = await openMap({
      answer: (call) =>
        new URL(call.url, 'http://localhost').searchParams.get('street')
          ? jsonResponse(404, { error: 'StreetNotFound', detail: '街道 420106002 不存在或不在您的管辖范围', request_id: 'r1' })
          : jsonResponse(200, mapBody()),
      path: '/map?street=420106002',
      roles: ['street'],
    })
    await until(() => expect(wrapper.find('[data-testid="map-reset"]').exists()).toBe(true))
    await wrapper.find('[data-testid="map-reset"]').trigger('click')
    await until(() => expect(wrapper.find('[data-testid="map-table"]').exists()).toBe(true))
    expect(router.currentRoute.value.query.street).toBeUndefined()
    expect(mapCalls(fetch)).toHaveLength(2)
  })
})
