import { mount } from '@vue/test-utils'
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import StreetTaxChart from './StreetTaxChart.vue'
import ThemeMixChart from './ThemeMixChart.vue'
import TrendChart from './TrendChart.vue'
import { chartFontSize } from './useChart.js'

// jsdom has no canvas: ECharts then estimates text widths itself (instead of jsdom
// printing "not implemented" for every label).
beforeEach(() => {
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
})

const streets = [
  { code: '420106001', name: '积玉桥街道', value: 1.25e9 },
  { code: '420106011', name: '中南路街道', value: 3.2e9 },
  { code: '420106003', name: '徐家棚街道', value: 4.5e8 },
]

describe('StreetTaxChart', () => {
  it('draws one bar per street, in 亿元, with the street names as text', async () => {
    const w = mount(StreetTaxChart, { props: { items: streets, label: '全口径税收' }, attachTo: document.body })
    await nextTick()
    const svg = w.find('svg')
    expect(svg.exists()).toBe(true)
    const text = svg.text()
    for (const s of streets) expect(text).toContain(s.name)
    expect(text).toContain('亿元')
    expect(text).toContain('32') // 中南路 3.2e9 → 32 亿元
    w.unmount()
  })

  it('redraws when the figures change', async () => {
    const w = mount(StreetTaxChart, { props: { items: streets }, attachTo: document.body })
    await nextTick()
    await w.setProps({ items: [{ code: '420106005', name: '粮道街道', value: 5e6 }] })
    await nextTick()
    const text = w.find('svg').text()
    expect(text).toContain('粮道街道')
    expect(text).not.toContain('积玉桥街道')
    expect(text).toContain('万元')
    w.unmount()
  })
})

describe('TrendChart', () => {
  it('draws the months and a legend for each series', async () => {
    const w = mount(TrendChart, {
      props: {
        months: ['2025-01', '2025-02', '2025-03'],
        series: [
          { name: '2025年', values: [1.2e8, 1.5e8, null] },
          { name: '2024年同期', values: [1.0e8, 1.1e8, 1.3e8], dashed: true },
        ],
      },
      attachTo: document.body,
    })
    await nextTick()
    const text = w.find('svg').text()
    expect(text).toContain('1月')
    expect(text).toContain('3月')
    expect(text).toContain('2024年同期')
    expect(text).toContain('亿元')
    w.unmount()
  })
})

describe('ThemeMixChart', () => {
  it('names each theme with its share', async () => {
    const w = mount(ThemeMixChart, {
      props: {
        items: [
          { code: 'finance', name: '金融', value: 3e8 },
          { code: 'digital', name: '数字经济', value: 1e8 },
          { code: 'x', name: '无税收', value: 0 },
        ],
      },
      attachTo: document.body,
    })
    await nextTick()
    const text = w.find('svg').text()
    expect(text).toContain('金融')
    expect(text).toContain('75.0%')
    expect(text).toContain('25.0%')
    expect(text).not.toContain('无税收')
    w.unmount()
  })
})

describe('chart words on a big screen', () => {
  it('are 16 px from 1600 px wide, 14 on a desktop, 13 on a phone', () => {
    expect(chartFontSize(1920)).toBe(16)
    expect(chartFontSize(1600)).toBe(16)
    expect(chartFontSize(1599)).toBe(14)
    expect(chartFontSize(1280)).toBe(14)
    expect(chartFontSize(768)).toBe(13)
    expect(chartFontSize(375)).toBe(13)
  })

  it('draws the axis and legend at 16 px in a 1920 px window', async () => {
    const before = window.innerWidth
    window.innerWidth = 1920
    try {
      const w = mount(TrendChart, {
        props: { months: ['2025-01', '2025-02'], series: [{ name: '2025年', values: [1e8, 2e8] }] },
        attachTo: document.body,
      })
      await nextTick()
      const sizes = w.findAll('svg text').map((t) => /font-size:\s*(\d+)px/.exec(t.attributes('style') || '')?.[1])
      const legend = w.findAll('svg text').find((t) => t.text() === '2025年')
      expect(legend).toBeTruthy()
      expect(legend.attributes('style')).toMatch(/font-size:\s*16px/)
      expect(
        sizes
          .filter(Boolean)
          .map(Number)
          .every((n) => n >= 14),
      ).toBe(true)
      w.unmount()
    } finally {
      window.innerWidth = before
    }
  })
})
