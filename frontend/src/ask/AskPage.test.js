import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { fakeFetch, jsonResponse, meBody, tokenBody } from '../../tests/helpers.js'
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

const PARTS = [
  { key: 'metric', label: '指标', value: '全口径税收', code: 'tax_total' },
  { key: 'entity', label: '楼宇', value: '中交大厦', code: 'D003' },
  { key: 'period', label: '期间', value: '2025年1-11月', code: '2025-11-YTD' },
  { key: 'compare', label: '比较', value: '同比', code: 'yoy' },
]
const answer = (overrides = {}) => ({
  question: '中交大厦今年税收同比多少',
  status: 'answered',
  reading: null,
  parts: PARTS,
  reading_text: '指标：全口径税收；楼宇：中交大厦；期间：2025年1-11月；比较：同比',
  text: '中交大厦2025年1-11月的全口径税收为6,336.50万元。',
  figures: [{ label: '全口径税收', metric: 'tax_total', value: 63365000, unit: '元', display: '6,336.50万元' }],
  table: null,
  definitions: [{ code: 'tax_total', name: '全口径税收', formula: '统计期内企业缴纳的全部税收之和', unit: '元', period: '月：该月' }],
  link: '/buildings/D003',
  link_label: '打开中交大厦的楼宇页',
  unknown: [],
  suggestions: [],
  choices: [],
  refusal: null,
  proposed_by: 'parser',
  ...overrides,
})

async function open(path, { roles = ['bureau'], reply = () => answer() } = {}) {
  const fetch = fakeFetch({
    'POST /api/auth/token': () => jsonResponse(200, tokenBody(1)),
    'GET /api/auth/me': () => jsonResponse(200, meBody({ roles })),
    'POST /api/metrics/ask': (call) => jsonResponse(200, reply(JSON.parse(call.body))),
    'GET /api/metrics/ask/history': () => jsonResponse(200, { items: [], total: 0 }),
    'GET /api/metrics/ask/unanswered': () => jsonResponse(200, { items: [], total: 0 }),
    'GET /api/metrics/ask/synonyms': () => jsonResponse(200, { items: [], total: 0 }),
    'POST /api/tasks/ask': () =>
      jsonResponse(
        200,
        answer({
          parts: [{ key: 'entity', label: '单位', value: '区发改局', code: 'fgj' }],
          text: '区发改局亮红灯的任务共2项。',
          link: '/tasks?unit=fgj&light=red',
          link_label: '打开任务列表',
        }),
      ),
  })
  vi.stubGlobal('fetch', fetch)
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createAppRouter(createMemoryHistory())
  const auth = setupAuth({ router, pinia })
  await auth.signIn({ username: 'u', password: 'p' })
  await router.push(path)
  const wrapper = mount(App, { global: { plugins: [pinia, router] }, attachTo: document.body })
  await vi.waitFor(() => expect(wrapper.find('[data-testid="ask-page"]').exists()).toBe(true))
  await flushPromises()
  return { wrapper, router, fetch }
}

describe('问数 page', () => {
  it('shows the reading above the answer, the figure, the 口径 and the link', async () => {
    const { wrapper } = await open('/ask?q=' + encodeURIComponent('中交大厦今年税收同比多少'))
    await vi.waitFor(() => expect(wrapper.find('[data-testid="ask-answer"]').exists()).toBe(true))
    const reading = wrapper.find('[data-testid="ask-reading"]').text()
    expect(reading).toContain('指标：全口径税收')
    expect(reading).toContain('楼宇：中交大厦')
    expect(reading).toContain('比较：同比')
    expect(wrapper.find('[data-testid="ask-text"]').text()).toContain('6,336.50万元')
    expect(wrapper.find('[data-testid="ask-link"]').attributes('href')).toBe('/buildings/D003')
    await wrapper.find('.ask-defs button').trigger('click')
    expect(wrapper.find('[data-testid="ask-definitions"]').text()).toContain('统计期内企业缴纳的全部税收之和')
  })

  it('edits one part by a click and asks again with that edit', async () => {
    const { wrapper, router, fetch } = await open('/ask?q=' + encodeURIComponent('中交大厦今年税收同比多少'))
    await vi.waitFor(() => expect(wrapper.find('[data-testid="ask-part-period"]').exists()).toBe(true))
    await wrapper.find('[data-testid="ask-part-period"]').trigger('click')
    await wrapper.find('[data-testid="ask-part-input"]').setValue('去年')
    await wrapper.find('.ask-part-edit').trigger('submit')
    await flushPromises()
    expect(router.currentRoute.value.query.edits).toBe('{"period":"去年"}')
    await vi.waitFor(() => {
      const asks = fetch.calls.filter((c) => c.path === '/api/metrics/ask')
      expect(JSON.parse(asks.at(-1).body)).toEqual({ question: '中交大厦今年税收同比多少', edits: { period: '去年' }, record: false })
    })
  })

  it('offers the closest readings and the choices of an ambiguous name', async () => {
    const reply = (body) =>
      body.question === '保利今年税收'
        ? answer({
            status: 'ambiguous',
            parts: [],
            text: '“保利”可能指2个对象',
            choices: [{ label: '保利广场（中南路街道）', question: '保利广场今年税收' }],
          })
        : answer({ status: 'unknown', parts: [], text: '没有读懂：“大夏”。', suggestions: ['中交大厦税收'] })
    const { wrapper, router } = await open('/ask?q=' + encodeURIComponent('中交大夏税收'), { reply })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="ask-suggestion"]').exists()).toBe(true))
    await wrapper.find('[data-testid="ask-suggestion"]').trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.query.q).toBe('中交大厦税收')
    await router.push('/ask?q=' + encodeURIComponent('保利今年税收'))
    await vi.waitFor(() => expect(wrapper.find('[data-testid="ask-choice"]').text()).toBe('保利广场（中南路街道）'))
  })

  it('sends a task question on to the tasks service', async () => {
    const reply = () => answer({ status: 'tasks', parts: [], text: '任务类问题' })
    const { wrapper, fetch } = await open('/ask?q=' + encodeURIComponent('区发改局有几项任务亮红灯'), { reply })
    await vi.waitFor(() => expect(fetch.calls.some((c) => c.path === '/api/tasks/ask')).toBe(true))
    expect(wrapper.find('[data-testid="ask-text"]').text()).toContain('区发改局亮红灯的任务共2项')
  })

  it('says what went wrong when the service is down', async () => {
    const fetch = fakeFetch({
      'POST /api/auth/token': () => jsonResponse(200, tokenBody(1)),
      'GET /api/auth/me': () => jsonResponse(200, meBody({ roles: ['leader'] })),
      'POST /api/metrics/ask': () => jsonResponse(503, { error: 'Unavailable', detail: '指标服务暂时不可用', request_id: 'r' }),
      'GET /api/metrics/ask/history': () => jsonResponse(200, { items: [], total: 0 }),
    })
    vi.stubGlobal('fetch', fetch)
    const pinia = createPinia()
    setActivePinia(pinia)
    const router = createAppRouter(createMemoryHistory())
    const auth = setupAuth({ router, pinia })
    await auth.signIn({ username: 'u', password: 'p' })
    await router.push('/ask?q=x')
    const wrapper = mount(App, { global: { plugins: [pinia, router] }, attachTo: document.body })
    await vi.waitFor(() => expect(wrapper.find('[data-testid="ask-error"]').exists()).toBe(true))
  })
})
