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
  vi.unstubAllGlobals()
  resetSession()
  document.body.innerHTML = ''
})

const notice = {
  kind: 'supervision',
  title: '回复督办单：建立楼长制',
  due_date: '2026-12-01',
  overdue: true,
  link: '/supervision?status=open',
  source_id: '3',
}
const demand = {
  kind: 'demand',
  title: '答复企业诉求：某公司（政策咨询）',
  due_date: '2026-12-20',
  overdue: false,
  link: '/demands/7',
  source_id: '7',
}

async function open(roles, routes) {
  vi.stubGlobal(
    'fetch',
    fakeFetch({
      'POST /api/auth/token': () => jsonResponse(200, tokenBody(1)),
      'GET /api/auth/me': () => jsonResponse(200, meBody({ roles })),
      ...routes,
    }),
  )
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createAppRouter(createMemoryHistory())
  const auth = setupAuth({ router, pinia })
  await auth.signIn({ username: 'u', password: 'p' })
  await router.push('/inbox')
  const wrapper = mount(App, { global: { plugins: [pinia, router] }, attachTo: document.body })
  await until(() => expect(wrapper.find('h1').text()).toBe('待办'))
  await flushPromises()
  return { wrapper, router }
}

describe('待办', () => {
  it('lists the items overdue first, marks the late one, counts in the header badge', async () => {
    const { wrapper } = await open(['department'], {
      'GET /api/tasks/inbox': () => jsonResponse(200, { items: [demand, notice], total: 2 }),
      'GET /api/tasks/inbox/count': () => jsonResponse(200, { total: 2, overdue: 1 }),
    })
    await until(() => expect(wrapper.findAll('[data-testid="inbox-item"]')).toHaveLength(2))
    const rows = wrapper.findAll('.inbox-item')
    expect(rows[0].text()).toContain('回复督办单')
    expect(rows[0].classes()).toContain('is-overdue')
    expect(rows[0].text()).toContain('（已超期）')
    expect(rows[1].find('a').attributes('href')).toBe('/demands/7')
    expect(wrapper.find('[data-testid="inbox-counts"]').text()).toContain('督办 1 项（超期 1）')
    await until(() => expect(wrapper.find('[data-testid="inbox-count"]').text()).toBe('2'))
  })

  it('says 暂无待办 when there is nothing to do', async () => {
    const { wrapper } = await open(['leader'], {
      'GET /api/tasks/inbox': () => jsonResponse(200, { items: [], total: 0 }),
      'GET /api/tasks/inbox/count': () => jsonResponse(200, { total: 0, overdue: 0 }),
    })
    await until(() => expect(wrapper.text()).toContain('暂无待办'))
    expect(wrapper.find('[data-testid="inbox-count"]').exists()).toBe(false)
  })

  it('says why it could not load, and offers 重试', async () => {
    const { wrapper } = await open(['department'], {
      'GET /api/tasks/inbox': () => jsonResponse(503, { error: 'Unavailable', detail: '任务督办服务暂时不可用', request_id: 'r' }),
    })
    await until(() => expect(wrapper.find('.list-error').text()).toContain('任务督办服务暂时不可用'))
    expect(wrapper.find('.list-error').text()).toContain('重试')
  })

  it('shows the items that answered when registry is down, and names it', async () => {
    const { wrapper } = await open(['street'], {
      'GET /api/tasks/inbox': () => jsonResponse(200, { items: [demand], total: 1 }),
      'GET /api/registry/inbox': () => jsonResponse(503, { error: 'Unavailable', detail: 'x', request_id: 'r' }),
    })
    await until(() => expect(wrapper.find('[data-testid="inbox-partial"]').text()).toContain('楼宇数据导入的待办暂时无法获取'))
    expect(wrapper.findAll('[data-testid="inbox-item"]')).toHaveLength(1)
  })
})
