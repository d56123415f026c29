import { mount } from '@vue/test-utils'
import ElementPlus from 'element-plus'
import { describe, expect, it } from 'vitest'
import ListPager from './ListPager.vue'

const render = (props) => mount(ListPager, { props, global: { plugins: [ElementPlus] } })

describe('ListPager', () => {
  it('shows the exact total', () => {
    expect(render({ total: 49 }).text()).toContain('共 49 条')
  })

  it('says when the server stopped counting (a very broad search)', () => {
    const text = render({ total: 1000, capped: true }).text()
    expect(text).toContain('超过 1000 条')
    expect(text).not.toContain('共 1000 条')
  })

  it('shows nothing for an empty list', () => {
    expect(render({ total: 0 }).text()).toBe('')
  })
})
