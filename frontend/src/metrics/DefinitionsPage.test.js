import { flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { fakeFetch, jsonResponse } from '../../tests/helpers.js'
import { fixtures } from '../contract/fixtures.js'
import DefinitionsPage from './DefinitionsPage.vue'

afterEach(() => vi.unstubAllGlobals())

describe('指标口径 page', () => {
  it('lists every definition by category, with formula, denominator, inclusions and period', async () => {
    const catalogue = fixtures.definitions()
    vi.stubGlobal('fetch', fakeFetch({ 'GET /api/metrics/definitions': () => jsonResponse(200, catalogue) }))
    const w = mount(DefinitionsPage, { global: { stubs: { PageHeader: true, LoadError: true, 'el-input': true } } })
    await flushPromises()
    expect(w.findAll('[data-testid^="definition-"]')).toHaveLength(catalogue.total)
    const occupancy = w.find('[data-testid="definition-occupancy_rate"]').text()
    expect(occupancy).toContain('入驻率')
    expect(occupancy).toContain('分母')
    expect(occupancy).toContain('未填报')
    expect(w.find('[data-testid="definition-wuqianwan_buildings"]').text()).toContain('达到即计入')
  })
})
