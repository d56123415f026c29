import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { fakeFetch, jsonResponse, meBody } from '../../tests/helpers.js'
import { resetSession } from '../api/http.js'
import { useAuthStore } from '../auth/store.js'
import { moveInOrPropose } from './api.js'
import MoveInDialog, { PROPOSED } from './MoveInDialog.vue'
import ProposalsPage from './ProposalsPage.vue'

beforeEach(() => resetSession())
afterEach(() => {
  resetSession()
  document.body.innerHTML = ''
})

const BODY = { credit_code: '91420106MA4K00014W', building_code: '420106-0001', spaces: [], area: 5, start_date: '2026-01-01' }
const REFUSED = () =>
  jsonResponse(403, {
    error: 'NeedsConfirmation',
    detail: '企业 91420106MA4K00014W 不在您负责的范围内：迁入须提交区商务局确认（入驻申请）',
    request_id: 'r1',
    fields: [{ field: 'credit_code', message: '该企业属于其他街道或尚未入驻，迁入须经区商务局确认' }],
  })
const PROPOSAL = {
  id: 7,
  status: 'pending',
  status_label: '待确认',
  credit_code: '91420106MA4K00014W',
  enterprise_name: '杨园科技有限公司',
  building_code: '420106-0001',
  building_name: '积玉桥大厦',
  street_code: '420106001',
  street_name: '积玉桥街道',
  spaces: [{ id: 3, floor: 10, unit: '1001', area: 120 }],
  area: 120,
  start_date: '2026-01-01',
  end_date: null,
  note: '',
  proposed_by: 'jyq',
  proposed_at: '2026-01-02T03:04:05Z',
  decided_by: null,
  decided_at: null,
  reason: '',
  occupancy_id: null,
  version: 1,
}

describe('moveInOrPropose', () => {
  it('moves in directly when the server allows it', async () => {
    const fetch = fakeFetch({ 'POST /api/registry/occupancies': () => jsonResponse(201, { id: 1 }) })
    vi.stubGlobal('fetch', fetch)
    expect(await moveInOrPropose(BODY)).toEqual({ proposed: false, record: { id: 1 } })
    expect(fetch.calls.map((c) => c.path)).toEqual(['/api/registry/occupancies'])
  })

  it('files the same move-in as a 入驻申请 when the enterprise is another street’s', async () => {
    const fetch = fakeFetch({
      'POST /api/registry/occupancies': REFUSED,
      'POST /api/registry/occupancy-proposals': () => jsonResponse(201, PROPOSAL),
    })
    vi.stubGlobal('fetch', fetch)
    const out = await moveInOrPropose(BODY)
    expect(out.proposed).toBe(true)
    expect(out.record.status).toBe('pending')
    expect(JSON.parse(fetch.calls[1].body)).toEqual(BODY)
  })

  it('passes any other refusal on', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({ 'POST /api/registry/occupancies': () => jsonResponse(403, { error: 'Forbidden', detail: '您没有修改楼宇的权限' }) }),
    )
    await expect(moveInOrPropose(BODY)).rejects.toMatchObject({ status: 403, type: 'Forbidden' })
  })
})

describe('the street user’s 入驻 form', () => {
  it('takes a typed credit code and says the move-in was sent for confirmation', async () => {
    const fetch = fakeFetch({
      'GET /api/registry/enterprises': () => jsonResponse(200, { items: [], total: 0, page: 1, page_size: 20 }),
      'POST /api/registry/occupancies': REFUSED,
      'POST /api/registry/occupancy-proposals': () => jsonResponse(201, PROPOSAL),
    })
    vi.stubGlobal('fetch', fetch)
    const pinia = createPinia()
    setActivePinia(pinia)
    useAuthStore().user = meBody({ roles: ['street'] })
    const building = { code: '420106-0001', name: '积玉桥大厦' }
    const wrapper = mount(MoveInDialog, {
      props: { modelValue: false, building, spaces: [] },
      global: { plugins: [pinia] },
      attachTo: document.body,
    })
    await wrapper.setProps({ modelValue: true })
    await flushPromises()
    const form = document.querySelector('[data-testid="move-in-form"]')
    expect(form.textContent).toContain('须由区商务局确认')
    const code = form.querySelector('[data-testid="move-in-code"] input') || form.querySelector('input[maxlength="18"]')
    code.value = '91420106ma4k00014w'
    for (const e of ['input', 'change']) code.dispatchEvent(new Event(e))
    await nextTick()
    form.dispatchEvent(new Event('submit'))
    await flushPromises()
    await vi.waitFor(() => expect(document.body.textContent).toContain(PROPOSED))
    const posted = fetch.calls.filter((c) => c.method === 'POST').map((c) => [c.path, JSON.parse(c.body).credit_code])
    expect(posted).toEqual([
      ['/api/registry/occupancies', '91420106MA4K00014W'],
      ['/api/registry/occupancy-proposals', '91420106MA4K00014W'],
    ])
    expect(wrapper.emitted('saved')[0][0].status).toBe('pending')
  })
})

describe('入驻申请 (the bureau’s screen)', () => {
  async function mountPage(routes) {
    const fetch = fakeFetch(routes)
    vi.stubGlobal('fetch', fetch)
    const pinia = createPinia()
    setActivePinia(pinia)
    useAuthStore().user = meBody({ roles: ['bureau'] })
    const wrapper = mount(ProposalsPage, { global: { plugins: [pinia] }, attachTo: document.body })
    await flushPromises()
    return { wrapper, fetch }
  }

  it('lists the 待确认 ones with 确认 and 驳回, and confirms one', async () => {
    let pending = [PROPOSAL]
    const { wrapper, fetch } = await mountPage({
      'GET /api/registry/occupancy-proposals': () => jsonResponse(200, { items: pending, total: pending.length, page: 1, page_size: 50 }),
      'POST /api/registry/occupancy-proposals/7/confirm': () => {
        pending = []
        return jsonResponse(200, { ...PROPOSAL, status: 'confirmed', occupancy_id: 11 })
      },
    })
    expect(fetch.calls[0].url).toContain('status=pending')
    const row = wrapper.find('[data-testid="proposal-table"] tbody tr')
    expect(row.text()).toContain('杨园科技有限公司')
    expect(row.text()).toContain('积玉桥大厦')
    expect(row.text()).toContain('10层 1001')
    expect(row.findAll('button').map((b) => b.text())).toEqual(['确认', '驳回'])
    await row.findAll('button')[0].trigger('click')
    await flushPromises()
    const ok = [...document.querySelectorAll('.el-message-box button')].find((b) => b.textContent.includes('确认入驻'))
    ok.click()
    await flushPromises()
    await vi.waitFor(() => expect(fetch.calls.some((c) => c.path.endsWith('/7/confirm') && c.method === 'POST')).toBe(true))
    await vi.waitFor(() => expect(wrapper.text()).toContain('没有待确认的入驻申请'))
  })
})
