import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fakeFetch, jsonResponse } from '../../tests/helpers.js'
import { fixtures } from '../contract/fixtures.js'
import { resetDefinitions } from './definitions.js'
import KpiCard from './KpiCard.vue'
import KpiHelp from './KpiHelp.vue'

let fetch
beforeEach(() => {
  resetDefinitions()
  fetch = fakeFetch({ 'GET /api/metrics/definitions': () => jsonResponse(200, fixtures.definitions()) })
  vi.stubGlobal('fetch', fetch)
})
afterEach(() => vi.unstubAllGlobals())

describe('KpiHelp (?)', () => {
  it('opens the figure’s definition from the catalogue, loaded once and only when asked', async () => {
    const a = mount(KpiHelp, { props: { code: 'occupancy_rate', label: '入驻率' } })
    const b = mount(KpiHelp, { props: { code: 'tax_total', label: '全口径税收' } })
    expect(fetch.calls).toHaveLength(0)
    expect(a.find('button').attributes('aria-label')).toBe('入驻率的指标口径')
    await a.find('button').trigger('click')
    await flushPromises()
    const text = a.find('[data-testid="kpi-help-panel-occupancy_rate"]').text()
    expect(text).toContain('入驻率')
    expect(text).toContain('期末入驻面积 ÷ 可出租面积')
    expect(text).toContain('分母')
    expect(text).toContain('在建')
    await b.find('button').trigger('click')
    await flushPromises()
    expect(b.text()).toContain('全口径税收')
    expect(fetch.calls).toHaveLength(1)
  })
  it('says so for a figure without a definition', async () => {
    const w = mount(KpiHelp, { props: { code: 'no_such_figure', label: '某数字' } })
    await w.find('button').trigger('click')
    await flushPromises()
    expect(w.text()).toContain('指标“某数字”尚无口径说明')
  })
  it('sits next to every KPI card’s label', () => {
    const w = mount(KpiCard, {
      props: { card: { key: 'vacant_area', label: '空置面积', kind: 'area', unit: '', value: 1200, yoy: null, note: '', goal: null } },
    })
    expect(w.find('[data-testid="kpi-help-vacant_area"]').exists()).toBe(true)
  })
})
