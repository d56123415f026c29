import { flushPromises, mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeFetch, jsonResponse, meBody } from '../../tests/helpers.js'
import { resetSession } from '../api/http.js'
import { useAuthStore } from '../auth/store.js'
import ChiefSelect from './ChiefSelect.vue'

beforeEach(() => resetSession())
afterEach(() => {
  resetSession()
  document.body.innerHTML = ''
})

const chiefs = [
  { username: 'chief_wang', display_name: '王楼长', street_codes: ['420106001'] },
  { username: 'chief_zhao', display_name: '赵楼长', street_codes: ['420106001'] },
]

function setup(roles) {
  const fetch = fakeFetch({ 'GET /api/auth/chiefs': () => jsonResponse(200, { items: chiefs, total: 2 }) })
  vi.stubGlobal('fetch', fetch)
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().user = meBody({ roles })
  return fetch
}

describe('ChiefSelect', () => {
  it("asks for the building street's 楼长 and offers them by name; picking one says who", async () => {
    const fetch = setup(['bureau'])
    const wrapper = mount(ChiefSelect, {
      props: { modelValue: null, street: '420106001' },
      global: { plugins: [ElementPlus] },
      attachTo: document.body,
    })
    await flushPromises()
    const call = fetch.calls.find((c) => c.path === '/api/auth/chiefs')
    expect(new URL(call.url, 'http://x').searchParams.get('street')).toBe('420106001')
    const select = wrapper.findComponent({ name: 'ElSelect' })
    expect(select.exists()).toBe(true)
    select.vm.$emit('update:modelValue', 'chief_zhao')
    await flushPromises()
    expect(wrapper.emitted('update:modelValue').at(-1)).toEqual(['chief_zhao'])
    expect(wrapper.emitted('picked').at(-1)[0].display_name).toBe('赵楼长')
  })

  it('lets a 楼长 (who may not list accounts) type the login name, asking nothing', async () => {
    const fetch = setup(['chief'])
    const wrapper = mount(ChiefSelect, { props: { modelValue: 'chief_wang', street: '420106001' }, global: { plugins: [ElementPlus] } })
    await flushPromises()
    expect(fetch.calls.some((c) => c.path === '/api/auth/chiefs')).toBe(false)
    expect(wrapper.find('input').element.value).toBe('chief_wang')
  })
})
