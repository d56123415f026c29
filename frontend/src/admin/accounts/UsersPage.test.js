import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { fakeFetch, jsonResponse, meBody } from '../../../tests/helpers.js'
import { referenceRoutes } from '../../../tests/registry.js'
import { resetSession } from '../../api/http.js'
import { useAuthStore } from '../../auth/store.js'
import UsersPage from './UsersPage.vue'

beforeEach(() => resetSession())
afterEach(() => {
  resetSession()
  document.body.innerHTML = ''
})

const user = (username, roles, extra = {}) => ({
  id: username.length,
  username,
  display_name: username,
  roles,
  org_unit: null,
  street_codes: [],
  phone: null,
  is_active: true,
  must_change_password: false,
  locked_until: '2099-01-01T00:00:00Z',
  last_login_at: null,
  ...extra,
})

async function mountPage() {
  const fetch = fakeFetch({
    ...referenceRoutes(),
    'GET /api/tasks/units': () => jsonResponse(200, { items: [], total: 0 }),
    'GET /api/auth/users': () =>
      jsonResponse(200, { items: [user('shenji', ['auditor']), user('li.si', ['bureau'])], total: 2, page: 1, page_size: 20 }),
  })
  vi.stubGlobal('fetch', fetch)
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().user = meBody({ roles: ['admin'] })
  const router = createRouter({
    history: createMemoryHistory(),
    routes: [{ path: '/admin/users', name: 'admin-users', component: UsersPage }],
  })
  await router.push('/admin/users')
  const wrapper = mount(UsersPage, { global: { plugins: [pinia, router] }, attachTo: document.body })
  await flushPromises()
  await vi.waitFor(() => expect(wrapper.text()).toContain('li.si'))
  return wrapper
}

const rowOf = (wrapper, name) => wrapper.findAll('tr').find((tr) => tr.text().includes(name))

describe('账号与角色 (三员分立)', () => {
  it('offers no edit, reset or unlock on an auditor account, and says where it is managed', async () => {
    const wrapper = await mountPage()
    const auditor = rowOf(wrapper, 'shenji')
    expect(auditor.find('[data-testid="auditor-cli-note"]').text()).toBe('由服务器命令行管理')
    expect(auditor.findAll('button').map((b) => b.text())).toEqual([])
    const clerk = rowOf(wrapper, 'li.si')
    expect(clerk.findAll('button').map((b) => b.text())).toEqual(['编辑', '重置密码', '解除锁定'])
  })
})
