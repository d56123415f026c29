import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { fakeFetch, jsonResponse, meBody, tokenBody } from '../../tests/helpers.js'
import { resetSession } from '../api/http.js'
import { setupAuth } from '../auth/setup.js'
import { createAppRouter } from '../router/index.js'
import App from '../App.vue'

const until = (check) => vi.waitFor(check, { timeout: 15_000 })

beforeEach(() => {
  window.sessionStorage.clear()
  resetSession()
})
afterEach(() => {
  resetSession()
  document.body.innerHTML = ''
})

const report = (overrides = {}) => ({
  file_name: '税务局2025年12月.csv',
  source: 'tax_bureau',
  dry_run: true,
  applied: false,
  rows_total: 4,
  accepted: 3,
  created: 1,
  updated: 2,
  unchanged: 0,
  rejected_count: 1,
  rejected: [{ row: 5, field: 'credit_code', message: '第 5 行 统一社会信用代码：校验位不正确' }],
  aggregate_rows: 0,
  unregistered_count: 1,
  unregistered: ['91420106MA4KXY9011'],
  batch_id: null,
  ...overrides,
})

async function openPage(uploads) {
  const fetch = fakeFetch({
    'POST /api/auth/token': () => jsonResponse(200, tokenBody(1)),
    'GET /api/auth/me': () => jsonResponse(200, meBody({ roles: ['bureau'] })),
    'GET /api/metrics/sync': () =>
      jsonResponse(200, {
        source: 'registry',
        cursor: 9,
        head: 9,
        lag_events: 0,
        registry_reachable: true,
        current_at: '2025-10-01T00:00:00Z',
      }),
    'GET /api/metrics/facts/batches': () => jsonResponse(200, { items: [], total: 0 }),
    'GET /api/metrics/unregistered-taxpayers': () => jsonResponse(200, { items: [], total: 0, tax_total: 0 }),
    'POST /api/metrics/facts/upload': (call) => jsonResponse(200, uploads(call)),
  })
  vi.stubGlobal('fetch', fetch)
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createAppRouter(createMemoryHistory())
  const auth = setupAuth({ router, pinia })
  await auth.signIn({ username: 'u', password: 'p' })
  await router.push('/metrics/facts')
  const wrapper = mount(App, { global: { plugins: [pinia, router] }, attachTo: document.body })
  await until(() => expect(wrapper.find('h1').text()).toBe('税收数据导入'))
  await flushPromises()
  return { wrapper, fetch }
}

async function choose(wrapper, name) {
  const input = wrapper.find('[data-testid="facts-file"]')
  const file = new File(['统一社会信用代码,企业名称,期间,指标,数值\n'], name, { type: 'text/csv' })
  Object.defineProperty(input.element, 'files', { value: [file], configurable: true })
  await input.trigger('change')
}

const query = (call) => Object.fromEntries(new URL(call.url, 'http://x').searchParams)

describe('税收数据导入', () => {
  it('reports a bad row and refuses to apply; a clean file is applied', async () => {
    let clean = false
    const { wrapper, fetch } = await openPage((call) => {
      const dry = query(call).dry_run === 'true'
      if (!clean) return report()
      return report({ rejected: [], rejected_count: 0, rows_total: 3, dry_run: dry, applied: !dry, batch_id: dry ? null : 7 })
    })
    expect(wrapper.find('[data-testid="sync-badge"]').text()).toContain('数据已同步')

    await choose(wrapper, '税务局2025年12月.csv')
    await wrapper.find('[data-testid="facts-check"]').trigger('click')
    await until(() => expect(wrapper.find('[data-testid="facts-report"]').exists()).toBe(true))
    expect(wrapper.find('[data-testid="facts-report"]').text()).toContain('预检发现 1 行有问题')
    expect(wrapper.find('[data-testid="facts-rejected"]').text()).toContain('统一社会信用代码')
    expect(wrapper.find('[data-testid="facts-report"]').text()).toContain('91420106MA4KXY9011')
    expect(wrapper.find('[data-testid="facts-apply"]').attributes('disabled')).toBeDefined()
    const first = fetch.calls.find((c) => c.path === '/api/metrics/facts/upload')
    expect(query(first)).toEqual({ dry_run: 'true', source: 'tax_bureau' })
    expect(first.body.get('file').name).toBe('税务局2025年12月.csv')

    clean = true
    await choose(wrapper, '税务局2025年12月-改.csv')
    await wrapper.find('[data-testid="facts-check"]').trigger('click')
    await until(() => expect(wrapper.find('[data-testid="facts-report"]').text()).toContain('预检通过'))
    expect(wrapper.find('[data-testid="facts-apply"]').attributes('disabled')).toBeUndefined()
    await wrapper.find('[data-testid="facts-apply"]').trigger('click')
    await until(() => expect(wrapper.find('[data-testid="facts-report"]').text()).toContain('已导入：3 行数据已保存'))
    const uploads = fetch.calls.filter((c) => c.path === '/api/metrics/facts/upload')
    expect(query(uploads.at(-1)).dry_run).toBe('false')
  })
})
