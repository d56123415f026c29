import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { fakeFetch, jsonResponse, meBody } from '../../tests/helpers.js'
import { buildingBody, referenceRoutes } from '../../tests/registry.js'
import { resetSession } from '../api/http.js'
import { useAuthStore } from '../auth/store.js'
import BuildingFormDialog from './BuildingFormDialog.vue'

beforeEach(() => resetSession())
afterEach(() => {
  resetSession()
  document.body.innerHTML = ''
})

async function openDialog(routes, props = {}) {
  const fetch = fakeFetch({ ...referenceRoutes(), ...routes })
  vi.stubGlobal('fetch', fetch)
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().user = meBody({ roles: ['bureau'] })
  const wrapper = mount(BuildingFormDialog, {
    props: { modelValue: false, ...props },
    global: { plugins: [pinia] },
    attachTo: document.body,
  })
  await wrapper.setProps({ modelValue: true })
  await flushPromises()
  return { wrapper, fetch }
}

const dialog = () => document.querySelector('[data-testid="building-form"]')
const input = (label) => {
  const item = [...dialog().querySelectorAll('.el-form-item')].find(
    (el) => el.querySelector('.el-form-item__label')?.textContent.trim() === label,
  )
  return item.querySelector('input, textarea')
}
async function type(label, value) {
  const el = input(label)
  el.value = value
  el.dispatchEvent(new Event('input'))
  el.dispatchEvent(new Event('change'))
  await nextTick()
}
async function submit() {
  dialog().dispatchEvent(new Event('submit'))
  await flushPromises()
}

/** Submit and wait until `check` passes (validation and the request are asynchronous). */
async function submitThen(check) {
  await submit()
  await vi.waitFor(check)
}
const fieldError = (label) => {
  const item = [...dialog().querySelectorAll('.el-form-item')].find(
    (el) => el.querySelector('.el-form-item__label')?.textContent.trim() === label,
  )
  return item.querySelector('.el-form-item__error')?.textContent.trim()
}

describe('building form', () => {
  it('sends only the changed fields with If-Match, and shows 422 messages under their inputs', async () => {
    const { fetch } = await openDialog(
      {
        'PATCH /api/registry/buildings/420106-0007': () =>
          jsonResponse(422, {
            error: 'ValidationError',
            detail: '请求体 楼宇名称：同一街道已有同名楼宇',
            request_id: 'r1',
            fields: [
              { field: 'name', message: '同一街道已有同名楼宇', location: '请求体' },
              { field: '', message: '可出租面积不能大于建筑面积', location: '请求体' },
            ],
          }),
      },
      { building: buildingBody() },
    )
    await type('楼宇名称', '中交大厦（二期）')
    await type('功能区', '')
    await submitThen(() => expect(fieldError('楼宇名称')).toBe('同一街道已有同名楼宇'))

    const patch = fetch.calls.find((c) => c.method === 'PATCH')
    expect(patch.headers['If-Match']).toBe('"3"')
    expect(JSON.parse(patch.body)).toEqual({ name: '中交大厦（二期）', zone: null })
    expect(fieldError('楼宇名称')).toBe('同一街道已有同名楼宇')
    const alert = document.querySelector('[data-testid="form-error"]')
    expect(alert.textContent).toContain('同一街道已有同名楼宇')
    expect(alert.textContent).toContain('可出租面积不能大于建筑面积')
    expect(document.querySelector('[data-testid="reload-latest"]')).toBeNull()
  })

  it("shows the server's conflict message on 412 and reloads the latest version", async () => {
    let version = 3
    const { fetch } = await openDialog(
      {
        'PATCH /api/registry/buildings/420106-0007': (call) =>
          call.headers['If-Match'] === `"${version}"`
            ? jsonResponse(200, buildingBody({ version: version + 1, name: '中交大厦' }))
            : jsonResponse(412, {
                error: 'PreconditionFailed',
                detail: '楼宇“中交大厦”已被他人修改（当前为第 5 版），请刷新后查看最新内容再修改',
                request_id: 'r2',
              }),
        'GET /api/registry/buildings/420106-0007': () =>
          jsonResponse(200, buildingBody({ version: 5, zone: '华中金融城' }), { ETag: '"5"' }),
      },
      { building: buildingBody() },
    )
    version = 5 // someone else saved twice meanwhile
    await type('地址', '和平大道2号')
    await submitThen(() => expect(document.querySelector('[data-testid="form-error"]')).not.toBeNull())

    const alert = document.querySelector('[data-testid="form-error"]')
    expect(alert.textContent).toContain('已被他人修改')
    document.querySelector('[data-testid="reload-latest"]').click()
    await vi.waitFor(() => expect(document.querySelector('[data-testid="form-error"]')).toBeNull())
    expect(input('功能区').value).toBe('华中金融城')
    expect(input('地址').value).toBe('和平大道1号')

    await type('地址', '和平大道2号')
    await submitThen(() => expect(fetch.calls.filter((c) => c.method === 'PATCH')).toHaveLength(2))
    const patches = fetch.calls.filter((c) => c.method === 'PATCH')
    expect(patches.map((c) => c.headers['If-Match'])).toEqual(['"3"', '"5"'])
    expect(JSON.parse(patches[1].body)).toEqual({ address: '和平大道2号' })
  })

  it('creates with a whole body, blanks left out, and never sends masked phones', async () => {
    const { fetch, wrapper } = await openDialog({
      'POST /api/registry/buildings': () => jsonResponse(201, buildingBody({ code: '420106-0032' })),
    })
    await type('楼宇名称', '新建测试楼')
    await type('楼长电话', '13812341234')
    // the street select: set through the component (jsdom cannot open its popper)
    const street = wrapper.findAllComponents({ name: 'ElSelect' }).find((s) => s.props('placeholder') === '请选择街道')
    street.vm.$emit('update:modelValue', '420106001')
    await nextTick()
    await submitThen(() => expect(wrapper.emitted('saved')).toBeTruthy())
    const post = fetch.calls.find((c) => c.method === 'POST')
    expect(JSON.parse(post.body)).toEqual({ name: '新建测试楼', street_code: '420106001', chief_phone: '13812341234' })
    expect(wrapper.emitted('saved')[0][0].code).toBe('420106-0032')
  })
})
