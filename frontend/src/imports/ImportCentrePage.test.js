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

const registryRun = {
  id: 5,
  kind: 'buildings',
  file_name: '楼宇名单.xlsx',
  dry_run: false,
  applied: true,
  rows_total: 2,
  created: 2,
  updated: 0,
  unchanged: 0,
  rejected_count: 0,
  rejected: [],
  actor: 'zhangsan',
  created_at: '2026-03-02T02:00:00Z',
}
const plan = {
  id: 1,
  title: '楼宇经济工作方案',
  issuer: '',
  doc_number: '',
  issued_date: null,
  lead_unit_code: 'swj',
  is_demo: false,
  created_by: 'zhangsan',
  created_at: '2026-03-03T02:00:00Z',
  task_count: 4,
}

async function openCentre(roles, routes) {
  const fetch = fakeFetch({
    'POST /api/auth/token': () => jsonResponse(200, tokenBody(1)),
    'GET /api/auth/me': () => jsonResponse(200, meBody({ roles })),
    ...routes,
  })
  vi.stubGlobal('fetch', fetch)
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createAppRouter(createMemoryHistory())
  const auth = setupAuth({ router, pinia })
  await auth.signIn({ username: 'u', password: 'p' })
  await router.push('/imports')
  const wrapper = mount(App, { global: { plugins: [pinia, router] }, attachTo: document.body })
  await until(() => expect(wrapper.find('h1').text()).toBe('导入中心'))
  await flushPromises()
  return { wrapper, fetch }
}

describe('导入中心', () => {
  it('shows what answered when the facts service is down, and names it', async () => {
    const { wrapper } = await openCentre(['bureau'], {
      'GET /api/registry/imports': () => jsonResponse(200, [registryRun]),
      'GET /api/metrics/facts/batches': () => new Response('<html>Bad Gateway</html>', { status: 502 }),
      'GET /api/tasks/plans': () => jsonResponse(200, { items: [plan], total: 1, page: 1, page_size: 100 }),
    })
    await until(() => expect(wrapper.find('[data-testid="history-failure-facts"]').exists()).toBe(true))
    expect(wrapper.find('[data-testid="history-failure-facts"]').text()).toContain('税收数据服务暂不可用')
    const rows = wrapper.findAll('[data-testid="import-centre-history"] .el-table__body tr')
    expect(rows.map((r) => r.text())).toEqual([expect.stringContaining('楼宇经济工作方案'), expect.stringContaining('楼宇名单.xlsx')])
    expect(rows[0].text()).toContain('已导入 4 项任务')
    const cards = wrapper.findAll('[data-testid="import-cards"] h3').map((h) => h.text())
    expect(cards).toEqual(['楼宇', '房源', '企业', '入驻', '税收数据', '工作方案'])
  })

  it('asks a street user for the registry history only', async () => {
    const { wrapper, fetch } = await openCentre(['street'], {
      'GET /api/registry/imports': () => jsonResponse(200, []),
    })
    await until(() => expect(wrapper.text()).toContain('暂无导入记录'))
    // the header's 待办 badge asks tasks for its count on every page; the page itself asks registry only
    const asked = fetch.calls.map((c) => c.path).filter((p) => !p.startsWith('/api/tasks/inbox'))
    expect(asked).toContain('/api/registry/imports')
    expect(asked.some((p) => p.startsWith('/api/metrics') || p.startsWith('/api/tasks'))).toBe(false)
    expect(wrapper.findAll('[data-testid="import-cards"] h3').map((h) => h.text())).toEqual(['楼宇', '房源', '企业', '入驻'])
    expect(wrapper.text()).toContain('这里列出您本人的导入记录')
  })

  it('says so when no history could be loaded at all', async () => {
    const { wrapper } = await openCentre(['street'], {
      'GET /api/registry/imports': () => jsonResponse(503, { error: 'Upstream', detail: '登记服务暂不可用', request_id: 'r1' }),
    })
    await until(() => expect(wrapper.find('[data-testid="history-failure-registry"]').exists()).toBe(true))
    expect(wrapper.find('[data-testid="history-failure-registry"]').text()).toContain('楼宇登记服务暂不可用')
    expect(wrapper.text()).not.toContain('暂无导入记录')
  })
})
