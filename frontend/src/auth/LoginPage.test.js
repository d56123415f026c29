import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { fakeFetch, jsonResponse, meBody, tokenBody } from '../../tests/helpers.js'
import { MSG_NETWORK, resetSession } from '../api/http.js'
import { createAppRouter } from '../router/index.js'
import { setupAuth } from './setup.js'
import LoginPage from './LoginPage.vue'

beforeEach(() => {
  window.sessionStorage.clear()
  resetSession()
})
afterEach(() => {
  resetSession()
  document.body.innerHTML = ''
})

async function mountLogin(path = '/login') {
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createAppRouter(createMemoryHistory())
  setupAuth({ router, pinia })
  await router.push(path)
  const wrapper = mount(LoginPage, { global: { plugins: [pinia, router] }, attachTo: document.body })
  return { wrapper, router }
}

function inputByLabel(wrapper, text) {
  const label = wrapper.findAll('label').find((l) => l.text() === text)
  expect(label, `label ${text}`).toBeTruthy()
  const id = label.attributes('for')
  expect(id, `label ${text} points at an input`).toBeTruthy()
  return wrapper.find(`[id="${id}"]`)
}

async function fillAndSubmit(wrapper, username, password) {
  await inputByLabel(wrapper, '用户名').setValue(username)
  await inputByLabel(wrapper, '密码').setValue(password)
  const button = wrapper.findAll('button').find((b) => b.text() === '登录')
  expect(button).toBeTruthy()
  await wrapper.find('form').trigger('submit')
  await flushPromises()
  await vi.waitFor(() => expect(wrapper.vm).toBeTruthy())
}

describe('LoginPage', () => {
  it('labels its inputs 用户名 and 密码', async () => {
    const { wrapper } = await mountLogin()
    expect(inputByLabel(wrapper, '用户名').element.tagName).toBe('INPUT')
    expect(inputByLabel(wrapper, '密码').attributes('type')).toBe('password')
  })

  it("shows the server's Chinese detail when sign-in fails", async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'POST /api/auth/token': () =>
          jsonResponse(429, { error: 'AccountLocked', detail: '登录失败次数过多，账号已锁定 30 分钟', request_id: 'r' }),
      }),
    )
    const { wrapper } = await mountLogin()

    await fillAndSubmit(wrapper, 'zhangsan', 'wrong')

    await vi.waitFor(() => expect(wrapper.find('[data-testid="login-error"]').text()).toBe('登录失败次数过多，账号已锁定 30 分钟'))
    expect(inputByLabel(wrapper, '密码').element.value).toBe('')
  })

  it('says the server cannot be reached when the network fails', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch')
      }),
    )
    const { wrapper } = await mountLogin()
    await fillAndSubmit(wrapper, 'zhangsan', 'whatever')
    await vi.waitFor(() => expect(wrapper.find('[data-testid="login-error"]').text()).toBe(MSG_NETWORK))
  })

  it('does not call the server with an empty form', async () => {
    const fetch = fakeFetch({})
    vi.stubGlobal('fetch', fetch)
    const { wrapper } = await mountLogin()
    await wrapper.find('form').trigger('submit')
    await flushPromises()
    await vi.waitFor(() => expect(wrapper.text()).toContain('请输入用户名'))
    expect(fetch).not.toHaveBeenCalled()
  })

  it('signs in and goes back to the page asked for', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'POST /api/auth/token': () => jsonResponse(200, tokenBody(1)),
        'GET /api/auth/me': () => jsonResponse(200, meBody()),
      }),
    )
    const { wrapper, router } = await mountLogin('/login?redirect=/tasks')
    await fillAndSubmit(wrapper, 'zhangsan', 'Secret-123')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/tasks'))
  })

  it('opens the next page afresh when its script fails to load after a successful sign-in', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'POST /api/auth/token': () => jsonResponse(200, tokenBody(1)),
        'GET /api/auth/me': () => jsonResponse(200, meBody()),
      }),
    )
    const assign = vi.fn()
    vi.stubGlobal('location', { ...window.location, assign })
    const { wrapper, router } = await mountLogin('/login?redirect=/tasks')
    vi.spyOn(router, 'replace').mockRejectedValue(new TypeError('Failed to fetch dynamically imported module'))
    await fillAndSubmit(wrapper, 'zhangsan', 'Secret-123')
    await vi.waitFor(() => expect(assign).toHaveBeenCalledWith('/tasks'))
    expect(wrapper.find('[data-testid="login-error"]').exists()).toBe(false)
  })
})
