import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { jsonResponse } from '../../tests/helpers.js'
import { resetSession } from '../api/http.js'
import { useAuthStore } from '../auth/store.js'
import GlobalSearch from './GlobalSearch.vue'

const Blank = { template: '<div />' }

function makeRouter() {
  return createRouter({
    history: createMemoryHistory(),
    routes: [
      { path: '/', name: 'dashboard', component: Blank },
      { path: '/buildings', name: 'buildings', component: Blank },
      { path: '/buildings/:code', name: 'building', component: Blank },
      { path: '/enterprises', name: 'enterprises', component: Blank },
      { path: '/enterprises/:creditCode', name: 'enterprise', component: Blank },
      { path: '/tasks', name: 'tasks', component: Blank },
      { path: '/tasks/:id', name: 'task', component: Blank },
    ],
  })
}

const page = (items, total = items.length, extra = {}) => ({ items, total, page: 1, page_size: 5, ...extra })
const building = (code, name, extra = {}) => ({ code, name, aliases: [], street_name: '积玉桥街道', ...extra })
const ANSWERS = {
  '/api/registry/buildings': () => jsonResponse(200, page([building('420106-0003', '中交大厦'), building('420106-0009', '中交二号楼')])),
  '/api/registry/enterprises': () =>
    jsonResponse(200, page([{ credit_code: '91420106MA4K00001X', name: '武汉中交科技有限公司', current_buildings: [] }])),
  '/api/tasks/tasks': () =>
    jsonResponse(200, page([{ id: 7, number: '1.', title: '中交大厦招商', lead_unit_name: '区商务局', due_date: null }])),
  '/api/tasks/units': () => jsonResponse(200, page([])),
}

/**
 * A gateway that answers each path with `answers[path](url)` (a Response or a promise of
 * one), honouring the request's AbortSignal as a browser does.
 */
function gateway(answers = ANSWERS) {
  const calls = []
  const fn = vi.fn((url, init = {}) => {
    const parsed = new URL(url, 'http://localhost')
    const call = { path: parsed.pathname, params: Object.fromEntries(parsed.searchParams), signal: init.signal }
    calls.push(call)
    const answer = answers[call.path]
    if (!answer) return Promise.resolve(jsonResponse(404, { error: 'NotFound', detail: '接口不存在' }))
    return new Promise((resolve, reject) => {
      init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))
      Promise.resolve(answer(call)).then(resolve, reject)
    })
  })
  fn.calls = calls
  return fn
}

let wrapper
async function mountSearch({ roles = ['bureau'], fetch = gateway() } = {}) {
  vi.stubGlobal('fetch', fetch)
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().user = { username: 'u', display_name: '用户', roles, street_codes: [] }
  const router = makeRouter()
  await router.push('/')
  wrapper = mount(GlobalSearch, { global: { plugins: [pinia, router] }, attachTo: document.body })
  return { wrapper, router, fetch }
}

async function type(text) {
  await wrapper.get('input').setValue(text)
  await vi.advanceTimersByTimeAsync(250)
  await flushPromises()
}

const press = (key, init = {}) => wrapper.get('input').trigger('keydown', { key, ...init })
const box = () => wrapper.get('input').element
const options = () => wrapper.findAll('[role="option"]')
const activeOption = () => {
  const id = box().getAttribute('aria-activedescendant')
  return id ? document.getElementById(id) : null
}

beforeEach(() => {
  vi.useFakeTimers()
  resetSession()
})
afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  vi.useRealTimers()
  document.body.innerHTML = ''
})

describe('GlobalSearch', () => {
  it('is a labelled combobox that controls a listbox', async () => {
    await mountSearch()
    const input = box()
    expect(input.getAttribute('role')).toBe('combobox')
    expect(input.getAttribute('aria-expanded')).toBe('false')
    expect(input.getAttribute('aria-autocomplete')).toBe('list')
    const listbox = document.getElementById(input.getAttribute('aria-controls'))
    expect(listbox.getAttribute('role')).toBe('listbox')
    expect(document.querySelector(`label[for="${input.id}"]`).textContent).toContain('搜索楼宇、企业、任务、单位')
    expect(wrapper.find('[role="search"]').exists()).toBe(true)
  })

  it('asks every source once, five rows each, after the typing pauses', async () => {
    const { fetch } = await mountSearch()
    await wrapper.get('input').setValue('中')
    await wrapper.get('input').setValue('中交')
    await vi.advanceTimersByTimeAsync(200)
    expect(fetch).not.toHaveBeenCalled()
    await wrapper.get('input').setValue('中交大')
    await vi.advanceTimersByTimeAsync(250)
    await flushPromises()
    expect(fetch.calls.map((c) => c.path)).toEqual([
      '/api/registry/buildings',
      '/api/registry/enterprises',
      '/api/tasks/tasks',
      '/api/tasks/units',
    ])
    expect(fetch.calls.every((c) => c.params.q === '中交大' && c.params.page_size === '5')).toBe(true)
  })

  it('does not ask for one Chinese character, and says why', async () => {
    const { fetch } = await mountSearch()
    await type('楼')
    expect(fetch).not.toHaveBeenCalled()
    expect(wrapper.get('[data-testid="search-popup"]').text()).toContain('请至少输入 2 个字')
  })

  it('asks for one digit (the beginning of a code)', async () => {
    const { fetch } = await mountSearch()
    await type('9')
    expect(fetch).toHaveBeenCalled()
  })

  it('shows the results grouped under their headings, the match marked', async () => {
    await mountSearch()
    await type('中交')
    expect(box().getAttribute('aria-expanded')).toBe('true')
    const groups = wrapper.findAll('[role="listbox"] [role="group"]')
    const headings = groups.map((g) => document.getElementById(g.attributes('aria-labelledby')).textContent)
    expect(headings).toEqual(['楼宇', '企业', '任务']) // units found nothing: no group
    expect(groups[0].findAll('[role="option"]').map((o) => o.find('.gs__title').text())).toEqual(['中交大厦', '中交二号楼'])
    expect(groups[0].find('mark').text()).toBe('中交')
  })

  it('shows markup in a name as text', async () => {
    const fetch = gateway({
      ...ANSWERS,
      '/api/registry/buildings': () => jsonResponse(200, page([building('b1', '<img src=x onerror=alert(1)>大厦')])),
    })
    await mountSearch({ fetch })
    await type('大厦')
    expect(wrapper.find('[role="listbox"] img').exists()).toBe(false)
    expect(options()[0].text()).toContain('<img src=x onerror=alert(1)>大厦')
  })

  it('walks the options with the arrow keys (wrapping), Home and End', async () => {
    await mountSearch()
    await type('中交')
    const titles = options().map((o) => o.find('.gs__title').text())
    expect(titles).toEqual(['中交大厦', '中交二号楼', '武汉中交科技有限公司', '中交大厦招商'])
    await press('ArrowDown')
    expect(activeOption().textContent).toContain('中交大厦')
    expect(activeOption().getAttribute('aria-selected')).toBe('true')
    await press('ArrowDown')
    expect(activeOption().textContent).toContain('中交二号楼')
    await press('ArrowUp')
    await press('ArrowUp')
    expect(activeOption().textContent).toContain('中交大厦招商') // wrapped to the last
    await press('ArrowDown')
    expect(activeOption().textContent).toContain('中交大厦')
    await press('End')
    expect(activeOption().textContent).toContain('中交大厦招商')
    await press('Home')
    expect(activeOption().textContent).toContain('中交大厦')
    expect(wrapper.findAll('[aria-selected="true"]')).toHaveLength(1)
  })

  it('opens the active result with Enter', async () => {
    const { router } = await mountSearch()
    await type('中交')
    await press('ArrowDown')
    await press('ArrowDown')
    await press('ArrowDown')
    await press('Enter')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/enterprises/91420106MA4K00001X')
    expect(box().value).toBe('')
    expect(box().getAttribute('aria-expanded')).toBe('false')
  })

  it('opens the first result with Enter when none is active', async () => {
    const { router } = await mountSearch()
    await type('中交')
    await press('Enter')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/buildings/420106-0003')
  })

  it('opens a result on click', async () => {
    const { router } = await mountSearch()
    await type('中交')
    await options()[3].trigger('click')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/tasks/7')
  })

  it('closes with Escape, and clears with a second Escape', async () => {
    await mountSearch()
    await type('中交')
    await press('ArrowDown')
    await press('Escape')
    expect(box().getAttribute('aria-expanded')).toBe('false')
    expect(box().hasAttribute('aria-activedescendant')).toBe(false)
    expect(box().value).toBe('中交')
    await press('ArrowDown') // opens again on the same results
    expect(box().getAttribute('aria-expanded')).toBe('true')
    await press('Escape')
    await press('Escape')
    expect(box().value).toBe('')
  })

  it('offers 查看全部 when a source holds more, leading to the filtered list', async () => {
    const fetch = gateway({
      ...ANSWERS,
      '/api/registry/buildings': () => jsonResponse(200, page([building('b1', '中心一号'), building('b2', '中心二号')], 12)),
    })
    const { router } = await mountSearch({ fetch })
    await type('中心')
    const more = wrapper.get('[data-group="buildings"] .gs__option--more')
    expect(more.text()).toBe('查看全部楼宇结果（12 条）')
    expect(more.attributes('role')).toBe('option')
    await press('ArrowDown')
    await press('ArrowDown')
    await press('ArrowDown')
    expect(activeOption()).toBe(more.element)
    await press('Enter')
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe(`/buildings?q=${encodeURIComponent('中心')}`)
  })

  it('shows the others when one source fails, and says which failed', async () => {
    const fetch = gateway({ ...ANSWERS, '/api/tasks/tasks': () => new Response('bad gateway', { status: 502 }) })
    await mountSearch({ fetch })
    await type('中交')
    expect(wrapper.get('[data-testid="search-failure"]').text()).toBe('任务服务暂不可用')
    expect(wrapper.findAll('[role="group"]').map((g) => g.attributes('data-group'))).toEqual(['buildings', 'enterprises'])
  })

  it('says when nothing was found', async () => {
    const empty = () => jsonResponse(200, page([]))
    const fetch = gateway({
      '/api/registry/buildings': empty,
      '/api/registry/enterprises': empty,
      '/api/tasks/tasks': empty,
      '/api/tasks/units': empty,
    })
    await mountSearch({ fetch })
    await type('火星大厦')
    expect(wrapper.get('[data-testid="search-empty"]').text()).toBe('未找到与“火星大厦”相关的结果')
    expect(box().getAttribute('aria-expanded')).toBe('false')
    expect(wrapper.get('[role="status"]').text()).toBe('未找到与“火星大厦”相关的结果')
  })

  it('shows that it is searching until the first answers', async () => {
    let release
    const held = new Promise((resolve) => (release = resolve))
    const fetch = gateway({
      '/api/registry/buildings': () => held.then(() => jsonResponse(200, page([building('b1', '中交大厦')]))),
      '/api/registry/enterprises': () => held.then(() => jsonResponse(200, page([]))),
      '/api/tasks/tasks': () => held.then(() => jsonResponse(200, page([]))),
      '/api/tasks/units': () => held.then(() => jsonResponse(200, page([]))),
    })
    await mountSearch({ fetch })
    await type('中交')
    expect(wrapper.get('[data-testid="search-loading"]').text()).toBe('正在搜索…')
    release()
    await flushPromises()
    expect(wrapper.find('[data-testid="search-loading"]').exists()).toBe(false)
    expect(options()).toHaveLength(1)
  })

  it('keeps the active option when a group above it answers later', async () => {
    let release
    const held = new Promise((resolve) => (release = resolve))
    const fetch = gateway({ ...ANSWERS, '/api/registry/buildings': () => held.then(ANSWERS['/api/registry/buildings']) })
    const { router } = await mountSearch({ fetch })
    await type('中交')
    await press('Enter') // a source still searching: Enter does not guess
    await flushPromises()
    expect(router.currentRoute.value.fullPath).toBe('/')
    await press('ArrowDown')
    expect(activeOption().textContent).toContain('武汉中交科技有限公司')
    release()
    await flushPromises()
    expect(options()[0].text()).toContain('中交大厦')
    expect(activeOption().textContent).toContain('武汉中交科技有限公司')
    await press('ArrowDown')
    expect(activeOption().textContent).toContain('中交大厦招商')
  })

  it('aborts the older question when the query changes, and never shows its answer', async () => {
    let releaseOld
    const old = new Promise((resolve) => (releaseOld = resolve))
    const fetch = gateway({
      '/api/registry/buildings': (call) =>
        call.params.q === '中交'
          ? old.then(() => jsonResponse(200, page([building('old', '旧答案中交')])))
          : jsonResponse(200, page([building('new', '中交大厦')])),
      '/api/registry/enterprises': () => jsonResponse(200, page([])),
      '/api/tasks/tasks': () => jsonResponse(200, page([])),
      '/api/tasks/units': () => jsonResponse(200, page([])),
    })
    await mountSearch({ fetch })
    await type('中交')
    const first = fetch.calls.find((c) => c.params.q === '中交' && c.path === '/api/registry/buildings')
    expect(first.signal.aborted).toBe(false)
    await type('中交大厦')
    expect(first.signal.aborted).toBe(true)
    releaseOld()
    await flushPromises()
    expect(options().map((o) => o.find('.gs__title').text())).toEqual(['中交大厦'])
  })

  it('is not there for the auditor, who may search nothing', async () => {
    const { fetch } = await mountSearch({ roles: ['auditor'] })
    expect(wrapper.find('input').exists()).toBe(false)
    document.dispatchEvent(new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, cancelable: true }))
    expect(fetch).not.toHaveBeenCalled()
  })

  it('comes to the box with Ctrl+K or /, but not while typing elsewhere', async () => {
    await mountSearch()
    const other = document.createElement('input')
    document.body.appendChild(other)
    other.focus()
    const slash = new KeyboardEvent('keydown', { key: '/', bubbles: true, cancelable: true })
    other.dispatchEvent(slash)
    await flushPromises()
    expect(document.activeElement).toBe(other)
    expect(slash.defaultPrevented).toBe(false)

    other.blur()
    const ctrlK = new KeyboardEvent('keydown', { key: 'k', ctrlKey: true, bubbles: true, cancelable: true })
    document.body.dispatchEvent(ctrlK)
    await flushPromises()
    expect(document.activeElement).toBe(box())
    expect(ctrlK.defaultPrevented).toBe(true)

    box().blur()
    document.body.dispatchEvent(new KeyboardEvent('keydown', { key: '/', bubbles: true, cancelable: true }))
    await flushPromises()
    expect(document.activeElement).toBe(box())
  })
})
