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

beforeEach(() => {
  window.sessionStorage.clear()
  resetSession()
})
afterEach(() => {
  resetSession()
  document.body.innerHTML = ''
})

const row = (overrides = {}) => ({
  code: '420106-0001',
  name: '阿里中心',
  aliases: ['阿里巴巴华中总部'],
  street_code: '420106001',
  street_name: '积玉桥街道',
  address: '',
  stage: 'new',
  stage_label: '新建成',
  gfa: 40800,
  leasable_area: 29180,
  zone: '滨江商务区',
  themes: [],
  chief_name: '王楼长',
  vacant_area: 5514,
  occupancy_rate: 0.4049,
  tenant_count: 21,
  is_demo: true,
  ...overrides,
})

async function openList(roles, path = '/buildings', title = '楼宇') {
  const fetch = fakeFetch({
    'POST /api/auth/token': () => jsonResponse(200, tokenBody(1)),
    'GET /api/auth/me': () => jsonResponse(200, meBody({ roles })),
    ...referenceRoutes(),
    'GET /api/registry/buildings': () => jsonResponse(200, { items: [row()], total: 41, page: 1, page_size: 20 }),
  })
  vi.stubGlobal('fetch', fetch)
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createAppRouter(createMemoryHistory())
  const auth = setupAuth({ router, pinia })
  await auth.signIn({ username: 'u', password: 'p' })
  await router.push(path)
  const wrapper = mount(App, { global: { plugins: [pinia, router] }, attachTo: document.body })
  await vi.waitFor(() => expect(wrapper.find('h1').text()).toBe(title))
  await flushPromises()
  return { wrapper, router, fetch }
}

const listCalls = (fetch) => fetch.calls.filter((c) => c.path === '/api/registry/buildings')
const query = (call) => Object.fromEntries(new URL(call.url, 'http://x').searchParams)

describe('building list page', () => {
  it('asks for the filters in the address bar and shows the rows, the demo banner and the total', async () => {
    const { wrapper, fetch } = await openList(['bureau'], '/buildings?street=420106001&area_min=10000&sort=-gfa&page=2')
    await vi.waitFor(() => expect(wrapper.text()).toContain('阿里中心'))
    expect(query(listCalls(fetch).at(-1))).toEqual({
      street: '420106001',
      area_min: '10000',
      sort: '-gfa',
      page: '2',
      page_size: '20',
    })
    expect(wrapper.find('[data-testid="demo-banner"]').text()).toContain('演示数据（虚构）')
    expect(wrapper.text()).toContain('40,800㎡')
    expect(wrapper.text()).toContain('40.5%')
    expect(wrapper.text()).toContain('共 41 条')
    expect(wrapper.find('[data-testid="new-building"]').exists()).toBe(true)
  })

  it('puts a search in the address bar and asks again from page 1', async () => {
    const { wrapper, router, fetch } = await openList(['leader'], '/buildings?page=3')
    const search = wrapper.find('input[aria-label="搜索楼宇名称或别名"]')
    await search.setValue(' 中交 ')
    // the page's own search form (the header holds the 问数 box, a search form too)
    const form = wrapper.findAll('form[role="search"]').find((f) => f.find('input[aria-label="搜索楼宇名称或别名"]').exists())
    await form.trigger('submit')
    await flushPromises()
    await vi.waitFor(() => expect(router.currentRoute.value.query).toEqual({ q: '中交' }))
    await vi.waitFor(() => expect(query(listCalls(fetch).at(-1))).toEqual({ q: '中交', page: '1', page_size: '20' }))
  })

  it('hides 新建楼宇 from roles that cannot create buildings', async () => {
    for (const roles of [['leader'], ['chief'], ['department']]) {
      const { wrapper } = await openList(roles)
      expect(wrapper.find('[data-testid="new-building"]').exists()).toBe(false)
      wrapper.unmount()
    }
  })

  it('is refused to a role outside the registry (the administrator), without asking the server', async () => {
    const { router, fetch } = await openList(['admin'], '/buildings', '无权访问')
    expect(router.currentRoute.value.name).toBe('forbidden')
    expect(fetch.calls.some((c) => c.path.startsWith('/api/registry/'))).toBe(false)
  })
})
