import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { fakeFetch, jsonResponse, meBody } from '../../../tests/helpers.js'
import { referenceRoutes } from '../../../tests/registry.js'
import { resetSession } from '../../api/http.js'
import { useAuthStore } from '../../auth/store.js'
import UserFormDialog from './UserFormDialog.vue'

beforeEach(() => resetSession())
afterEach(() => {
  resetSession()
  document.body.innerHTML = ''
})

const UNITS = {
  'GET /api/tasks/units': () =>
    jsonResponse(200, { items: [{ code: 'fgj', name: '区发改局', short_name: '发改局', kind: 'department' }], total: 1 }),
}
const USER = {
  id: 7,
  username: 'li.si',
  display_name: '李四',
  roles: ['department'],
  org_unit: 'fgj',
  street_codes: [],
  phone: '138****1234',
  is_active: true,
  must_change_password: false,
  locked_until: null,
  last_login_at: null,
}

async function openDialog(routes, user = null) {
  const fetch = fakeFetch({ ...referenceRoutes(), ...UNITS, ...routes })
  vi.stubGlobal('fetch', fetch)
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().user = meBody({ roles: ['admin'] })
  const wrapper = mount(UserFormDialog, { props: { modelValue: false, user }, global: { plugins: [pinia] }, attachTo: document.body })
  await wrapper.setProps({ modelValue: true })
  await flushPromises()
  return { wrapper, fetch }
}

const form = () => document.querySelector('[data-testid="user-form"]')
const item = (label) =>
  [...form().querySelectorAll('.el-form-item')].find((el) => el.querySelector('.el-form-item__label')?.textContent.trim() === label)
const itemError = (label) => item(label).querySelector('.el-form-item__error')?.textContent.trim()
async function type(label, value) {
  const el = item(label).querySelector('input')
  el.value = value
  for (const e of ['input', 'change']) el.dispatchEvent(new Event(e))
  await nextTick()
}
async function tick(label) {
  const box = [...form().querySelectorAll('.el-checkbox')].find((el) => el.textContent.trim() === label)
  box.querySelector('input').click()
  await nextTick()
}
async function submit() {
  form().dispatchEvent(new Event('submit'))
  await flushPromises()
}

describe('new account', () => {
  it('checks the initial password against the policy before asking the server', async () => {
    const { fetch } = await openDialog({})
    await type('登录名', 'li.si')
    await type('姓名', '李四')
    await type('初始密码', 'abc12345')
    await tick('协办部门')
    await submit()
    await vi.waitFor(() => expect(itemError('初始密码')).toBe('初始密码须包含大写字母、小写字母、数字、特殊字符中的至少三类'))
    expect(fetch.calls.some((c) => c.method === 'POST')).toBe(false)
  })

  it('does not offer 安全审计员 (made on the server command line, 三员分立)', async () => {
    await openDialog({})
    const labels = [...form().querySelectorAll('.el-checkbox')].map((el) => el.textContent.trim())
    expect(labels).toContain('系统管理员')
    expect(labels).not.toContain('安全审计员')
    expect(item('角色').textContent).toContain('服务器命令行')
  })

  it('refuses 系统管理员 with another role before asking the server (三员分立)', async () => {
    const { fetch } = await openDialog({})
    await type('登录名', 'li.si')
    await type('姓名', '李四')
    await type('初始密码', 'Init-Pass-2026')
    await tick('系统管理员')
    await tick('区商务局')
    await submit()
    await vi.waitFor(() => expect(itemError('角色')).toBe('系统管理员账号不能兼任其他角色（三员分立）'))
    expect(fetch.calls.some((c) => c.method === 'POST')).toBe(false)
  })

  it("puts the server's refusals next to their fields", async () => {
    const bodies = []
    await openDialog({
      'POST /api/auth/users': (call) => {
        bodies.push(JSON.parse(call.body))
        return jsonResponse(422, {
          error: 'ValidationError',
          detail: '密码过于常见，请换一个',
          request_id: 'r1',
          fields: [{ field: 'password', message: '密码过于常见，请换一个' }],
        })
      },
    })
    await type('登录名', 'li.si')
    await type('姓名', '李四')
    await type('初始密码', 'Password-2026')
    await tick('协办部门')
    await submit()
    await vi.waitFor(() => expect(itemError('初始密码')).toBe('密码过于常见，请换一个'))
    expect(bodies).toEqual([{ username: 'li.si', display_name: '李四', password: 'Password-2026', roles: ['department'] }])
  })

  it('shows a taken name on the 登录名 field', async () => {
    await openDialog({
      'POST /api/auth/users': () => jsonResponse(409, { error: 'UsernameTaken', detail: '用户名 li.si 已被使用', request_id: 'r2' }),
    })
    await type('登录名', 'li.si')
    await type('姓名', '李四')
    await type('初始密码', 'Init-Pass-2026')
    await tick('协办部门')
    await submit()
    await vi.waitFor(() => expect(itemError('登录名')).toBe('用户名 li.si 已被使用'))
  })
})

describe('editing an account', () => {
  function patchRoute(sent) {
    return {
      'PATCH /api/auth/users/li.si': (call) => {
        sent.push(JSON.parse(call.body))
        return jsonResponse(200, { ...USER, ...JSON.parse(call.body) })
      },
    }
  }

  it('sends only what changed, and never the masked phone', async () => {
    const sent = []
    const { wrapper } = await openDialog(patchRoute(sent), USER)
    expect(item('登录名').querySelector('input').disabled).toBe(true)
    expect(item('初始密码')).toBeUndefined()
    expect(item('手机号').querySelector('input').placeholder).toContain('138****1234')
    await type('姓名', '李小四')
    await submit()
    await vi.waitFor(() => expect(sent).toEqual([{ display_name: '李小四' }]))
    expect(wrapper.emitted('saved')[0][0].display_name).toBe('李小四')
  })

  it('asks for a street when the street role is added, before the server', async () => {
    const sent = []
    await openDialog(patchRoute(sent), USER)
    await tick('街道')
    await submit()
    await vi.waitFor(() => expect(itemError('负责街道')).toBe('街道角色须选择所负责的街道'))
    expect(sent).toEqual([])
  })
})
