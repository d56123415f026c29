import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { fakeFetch, jsonResponse, meBody } from '../../tests/helpers.js'
import { referenceRoutes } from '../../tests/registry.js'
import { resetSession } from '../api/http.js'
import { useAuthStore } from '../auth/store.js'
import EnterpriseFormDialog from './EnterpriseFormDialog.vue'

beforeEach(() => resetSession())
afterEach(() => {
  resetSession()
  document.body.innerHTML = ''
})

const BAD_CHECK = '91420106MA4K00014X' // the check character should be W

async function openDialog(routes) {
  const fetch = fakeFetch({ ...referenceRoutes(), ...routes })
  vi.stubGlobal('fetch', fetch)
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().user = meBody({ roles: ['street'], street_codes: ['420106001'] })
  const wrapper = mount(EnterpriseFormDialog, { props: { modelValue: false }, global: { plugins: [pinia] }, attachTo: document.body })
  await wrapper.setProps({ modelValue: true })
  await flushPromises()
  return { wrapper, fetch }
}

const form = () => document.querySelector('[data-testid="enterprise-form"]')
function item(label) {
  return [...form().querySelectorAll('.el-form-item')].find((el) =>
    el.querySelector('.el-form-item__label')?.textContent.trim().startsWith(label),
  )
}
async function type(label, value, events = ['input', 'change']) {
  const el = item(label).querySelector('input, textarea')
  el.value = value
  for (const e of events) el.dispatchEvent(new Event(e))
  await nextTick()
}
async function submit() {
  form().dispatchEvent(new Event('submit'))
  await flushPromises()
}

/** Submit and wait until `check` passes (validation and the request are asynchronous). */
async function submitThen(check) {
  await submit()
  await vi.waitFor(check)
}

describe('enterprise form', () => {
  it('normalises the code as typed and says a good one is good', async () => {
    await openDialog({})
    await type('统一社会信用代码', ' 91420106-ma4k00014w ', ['input', 'blur'])
    expect(item('统一社会信用代码').querySelector('input').value).toBe('91420106MA4K00014W')
    expect(document.querySelector('[data-testid="uscc-hint"]').textContent).toContain('校验位正确')
    expect(document.querySelector('[data-testid="override"]')).toBeNull()
  })

  it("shows the server's reason on the code, then sends an explicit override with its reason", async () => {
    const bodies = []
    await openDialog({
      'POST /api/registry/enterprises': (call) => {
        const body = JSON.parse(call.body)
        bodies.push(body)
        if (!body.check_override) {
          return jsonResponse(422, {
            error: 'ValidationError',
            detail: `统一社会信用代码 ${BAD_CHECK}：校验位不正确`,
            request_id: 'r1',
            fields: [{ field: 'credit_code', message: '校验位不正确：按 GB 32100 第18位应为“W”，实际为“X”，请核对是否有字符录错' }],
          })
        }
        return jsonResponse(201, { credit_code: BAD_CHECK, name: body.name, version: 1 })
      },
    })
    await type('统一社会信用代码', BAD_CHECK)
    await type('企业名称', '武汉某某科技有限公司')
    // The page already says what is wrong, and offers the override; the first try goes without it.
    expect(document.querySelector('[data-testid="uscc-hint"]').textContent).toContain('应为“W”')
    expect(document.querySelector('[data-testid="override"]')).not.toBeNull()
    await submitThen(() =>
      expect(item('统一社会信用代码').querySelector('.el-form-item__error')?.textContent).toContain('按 GB 32100 第18位应为“W”'),
    )

    document.querySelector('[data-testid="check-override"] input').click()
    await nextTick()
    // The reason is required before anything is sent.
    await submitThen(() => expect(item('确认依据').querySelector('.el-form-item__error')?.textContent).toContain('至少4个字'))
    expect(bodies).toHaveLength(1)

    await type('确认依据', '已核对营业执照原件')
    await submitThen(() => expect(bodies).toHaveLength(2))
    expect(bodies[1]).toMatchObject({
      credit_code: BAD_CHECK,
      name: '武汉某某科技有限公司',
      check_override: true,
      override_reason: '已核对营业执照原件',
    })
    expect(bodies[0].check_override).toBeUndefined()
  })

  it('names the enterprise already holding the code (409) on the code field', async () => {
    await openDialog({
      'POST /api/registry/enterprises': () =>
        jsonResponse(409, {
          error: 'DuplicateCreditCode',
          detail: '统一社会信用代码 91420106MA4K00014W 已登记为“（演示）武汉首义珞珈商务咨询有限公司”，请勿重复录入',
          request_id: 'r3',
        }),
    })
    await type('统一社会信用代码', '91420106MA4K00014W')
    await type('企业名称', '重复的公司')
    await submitThen(() =>
      expect(item('统一社会信用代码').querySelector('.el-form-item__error')?.textContent).toContain(
        '已登记为“（演示）武汉首义珞珈商务咨询有限公司”',
      ),
    )
  })
})
