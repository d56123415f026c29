import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { fakeFetch, jsonResponse, meBody } from '../../tests/helpers.js'
import { resetSession } from '../api/http.js'
import { useAuthStore } from '../auth/store.js'
import GoalList from './GoalList.vue'

afterEach(() => {
  resetSession()
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

const yiyuan = {
  id: 1,
  plan_id: '7',
  metric: 'yiyuan_buildings',
  metric_name: '亿元楼宇',
  comparison: 'increase',
  kind: 'count',
  measured_by: 'metrics',
  target: '2',
  unit: '栋',
  current_value: '1',
  progress: '50.0',
  achieved: false,
  computation: '2024年亿元楼宇 27 栋（基线）；目标新增 2 栋，完成 50.0%。',
  text: '新增2栋税收亿元楼宇',
  year: 2025,
  manual_by: '',
  manual_as_of: null,
  manual_note: '',
}
const centres = {
  ...yiyuan,
  id: 3,
  metric: 'sharing_centres',
  metric_name: '招商共享中心',
  measured_by: 'bureau',
  target: '3',
  unit: '个',
  current_value: null,
  progress: null,
  computation: '“招商共享中心”无法由税收和登记数据计算，当前值由区商务局填报；尚未填报。',
  text: '新建区级、街道招商共享中心3个',
}
const other = { ...yiyuan, id: 9, plan_id: '8', text: '另一方案的目标' }

async function open(roles, routes) {
  const fetch = fakeFetch(routes)
  vi.stubGlobal('fetch', fetch)
  const pinia = createPinia()
  setActivePinia(pinia)
  useAuthStore().user = meBody({ roles })
  const wrapper = mount(GoalList, { props: { year: 2025, planId: 7 }, global: { plugins: [pinia] }, attachTo: document.body })
  await flushPromises()
  return { wrapper, fetch }
}

describe('GoalList', () => {
  it("lists one plan's goals of the year with their bars; the bureau enters the value of a count it keeps", async () => {
    let entered = null
    const { wrapper, fetch } = await open(['bureau'], {
      'GET /api/metrics/goals': () =>
        jsonResponse(200, { items: entered ? [yiyuan, entered] : [yiyuan, centres, other], total: 3, year: 2025, sync: null }),
      'PATCH /api/metrics/goals/3/value': (call) => {
        const body = JSON.parse(call.body)
        entered = {
          ...centres,
          current_value: String(body.value),
          progress: '66.7',
          manual_by: 'zhangsan',
          manual_as_of: body.as_of,
          computation: '招商共享中心 已新增 2 个，目标新增 3 个，完成 66.7%（截至 2025-09-30，区商务局 zhangsan 填报）。',
        }
        return jsonResponse(200, entered)
      },
    })
    expect(new URL(fetch.calls[0].url, 'http://x').searchParams.get('year')).toBe('2025')
    expect(wrapper.findAll('.goals__item')).toHaveLength(2) // the other plan's goal is not listed
    expect(wrapper.find('[data-testid="goal-edit-1"]').exists()).toBe(false) // computed: nothing to enter
    expect(wrapper.find('[data-testid="goal-item-3"]').text()).toContain('当前值尚未填报 / 目标新增3个')

    await wrapper.find('[data-testid="goal-edit-3"]').trigger('click')
    await wrapper.find('[data-testid="goal-value"]').setValue('2')
    await wrapper.find('[data-testid="goal-form-3"]').trigger('submit')
    await flushPromises()
    const patchCall = fetch.calls.find((c) => c.method === 'PATCH')
    expect(JSON.parse(patchCall.body)).toEqual({ value: 2, as_of: null, note: '' })
    expect(wrapper.find('[data-testid="goal-item-3"]').text()).toContain('已新增2个 / 目标新增3个')
    expect(wrapper.find('[data-testid="goal-item-3"]').text()).toContain('填报人 zhangsan')
  })

  it('says why the value was refused and keeps the form open', async () => {
    const { wrapper } = await open(['bureau'], {
      'GET /api/metrics/goals': () => jsonResponse(200, { items: [centres], total: 1, year: 2025, sync: null }),
      'PATCH /api/metrics/goals/3/value': () =>
        jsonResponse(422, {
          error: 'Invalid',
          detail: '填报日期不能晚于今天',
          request_id: 'r1',
          fields: [{ field: 'manual_as_of', message: '填报日期不能晚于今天' }],
        }),
    })
    await wrapper.find('[data-testid="goal-edit-3"]').trigger('click')
    await wrapper.find('[data-testid="goal-value"]').setValue('1')
    await wrapper.find('[data-testid="goal-form-3"]').trigger('submit')
    await flushPromises()
    expect(wrapper.find('[data-testid="goal-error"]').text()).toContain('填报日期不能晚于今天')
    await wrapper.find('[data-testid="goal-value"]').setValue('-1')
    await wrapper.find('[data-testid="goal-form-3"]').trigger('submit')
    expect(wrapper.find('[data-testid="goal-error"]').text()).toBe('当前值应为不小于 0 的数字')
  })

  it('a leader reads the goals but enters nothing', async () => {
    const { wrapper } = await open(['leader'], {
      'GET /api/metrics/goals': () => jsonResponse(200, { items: [centres], total: 1, year: 2025, sync: null }),
    })
    expect(wrapper.find('[data-testid="goal-item-3"]').exists()).toBe(true)
    expect(wrapper.find('[data-testid="goal-edit-3"]').exists()).toBe(false)
  })
})
