import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory } from 'vue-router'
import { emptyResponse, fakeFetch, jsonResponse, meBody, tokenBody } from '../../tests/helpers.js'
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

async function signedInApp(me, path = '/') {
  const fetch = fakeFetch({
    'POST /api/auth/token': () => jsonResponse(200, tokenBody(1)),
    'GET /api/auth/me': () => jsonResponse(200, meBody(me)),
    'POST /api/auth/logout': () => emptyResponse(204),
  })
  vi.stubGlobal('fetch', fetch)
  const pinia = createPinia()
  setActivePinia(pinia)
  const router = createAppRouter(createMemoryHistory())
  const auth = setupAuth({ router, pinia })
  await auth.signIn({ username: 'u', password: 'p' })
  await router.push(path)
  const wrapper = mount(App, { global: { plugins: [pinia, router] }, attachTo: document.body })
  await vi.waitFor(() => expect(wrapper.find('h1').exists()).toBe(true))
  return { wrapper, router, fetch }
}

const navTitles = (wrapper) => wrapper.findAll('.shell-aside a').map((a) => a.text())

describe('AppShell', () => {
  it("shows the user's name and role, and the section title in an h1", async () => {
    const { wrapper } = await signedInApp({ display_name: '李四', roles: ['street'] }, '/buildings')
    expect(wrapper.find('[data-testid="current-user"]').text()).toBe('李四')
    expect(wrapper.find('.shell-header').text()).toContain('街道')
    expect(wrapper.find('h1').text()).toBe('楼宇')
    expect(wrapper.find('[role="search"]').exists()).toBe(true)
  })

  it('offers the bureau its sections, 管理 included (units, rules, imports)', async () => {
    const { wrapper } = await signedInApp({ roles: ['bureau'] })
    expect(navTitles(wrapper)).toEqual([
      '驾驶舱',
      '地图',
      '预警',
      '统计数据',
      '指标口径',
      '楼宇',
      '可用空间',
      '企业',
      '任务',
      '督办',
      '扫楼',
      '招商线索',
      '企业诉求',
      '楼宇活动',
      '共享中心',
      '政策库',
      '工作简报',
      '代表视察',
      '总结验收',
      '办理情况报告',
      '绩效考核',
      '导入中心',
      '税收数据',
      '管理',
    ])
  })

  it('offers no 管理 to a department', async () => {
    const { wrapper } = await signedInApp({ roles: ['department'] })
    expect(navTitles(wrapper)).not.toContain('管理')
  })

  it('keeps 楼宇 highlighted on a building page (a sub-page without a menu item)', async () => {
    const { wrapper } = await signedInApp({ roles: ['leader'] }, '/buildings/420106-0001')
    expect(wrapper.find('.shell-aside a.is-active').text()).toBe('楼宇')
  })

  it('offers 管理 to an admin', async () => {
    const { wrapper } = await signedInApp({ roles: ['admin'] })
    expect(navTitles(wrapper)).toEqual(['管理'])
  })

  it('marks the current section for assistive technology', async () => {
    const { wrapper } = await signedInApp({ roles: ['chief'] }, '/visits')
    const current = wrapper.find('.shell-aside a[aria-current="page"]')
    expect(current.text()).toBe('扫楼')
  })

  it('signs out: revokes on the server, clears the session, goes to /login', async () => {
    const { wrapper, router, fetch } = await signedInApp({ roles: ['leader'] })
    await wrapper.find('[data-testid="logout"]').trigger('click')
    await flushPromises()
    await vi.waitFor(() => expect(router.currentRoute.value.name).toBe('login'))
    expect(fetch.calls.some((c) => c.path === '/api/auth/logout')).toBe(true)
    expect(window.sessionStorage.getItem('louyu.session')).toBeNull()
  })

  it('forces the password change when the account must change it', async () => {
    await signedInApp({ roles: ['street'], must_change_password: true })
    await vi.waitFor(() => expect(document.body.textContent).toContain('请先设置新密码'))
    const dialog = document.querySelector('.el-dialog')
    expect(dialog).not.toBeNull()
    expect(dialog.querySelector('.el-dialog__headerbtn')).toBeNull() // no close button
  })
})
