import { init } from 'echarts/core'
import { onBeforeUnmount, onMounted, watch } from 'vue'

/** The colours of the metrics charts: the product's blue first, then muted hues with ≥ 3:1 contrast on white. */
export const PALETTE = ['#1f4e8c', '#c2410c', '#15803d', '#7c3aed', '#0e7490', '#b45309', '#be185d', '#4d7c0f', '#475569', '#a16207']

/** Text in charts: the page's font, sizes readable on a meeting-room screen. */
export const TEXT = { fontFamily: "'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif", color: '#374151' }

/**
 * The size of a chart's words (axis labels, legend, bar labels) for a window width: 16 px on
 * a meeting-room screen (≥ 1600 px, read from across the room), 14 on a desktop, 13 on a phone.
 */
export function chartFontSize(width = typeof window === 'undefined' ? 1280 : window.innerWidth) {
  if (width >= 1600) return 16
  if (width > 768) return 14
  return 13
}

/**
 * Mount an ECharts instance on `el` (a template ref) and keep it in step with `option()`
 * (a function of reactive data). The chart file registers its own modules with `use(...)`
 * before calling this, so each chart ships only what it draws. SVG renderer: sharp on a
 * large screen, and its text is real text (selectable, found by tests).
 *
 * `onClick(params)` receives ECharts' click events (drill-down).
 */
export function useChart(el, option, { onClick } = {}) {
  let chart = null
  let observer = null
  let fontSize = null

  function render() {
    if (!chart) return
    fontSize = chartFontSize()
    chart.setOption(option(), { notMerge: true })
    fitSvg()
  }

  // A viewBox as large as the drawing lets the SVG scale down to a printed sheet's width
  // (styles/print.css); on screen it changes nothing.
  function fitSvg() {
    const svg = el.value?.querySelector('svg')
    const w = parseFloat(svg?.getAttribute('width'))
    const h = parseFloat(svg?.getAttribute('height'))
    if (w > 0 && h > 0) svg.setAttribute('viewBox', `0 0 ${w} ${h}`)
  }

  onMounted(() => {
    const node = el.value
    if (!node) return
    // jsdom (unit tests) lays nothing out: give the chart a size of its own there.
    const sized = node.clientWidth > 0 && node.clientHeight > 0
    chart = init(node, null, sized ? { renderer: 'svg' } : { renderer: 'svg', width: 640, height: 320 })
    if (onClick) chart.on('click', onClick)
    render()
    if (typeof ResizeObserver !== 'undefined') {
      // Crossing a font-size step (phone / desktop / big screen) redraws the words at their new size.
      observer = new ResizeObserver(() => {
        if (chartFontSize() !== fontSize) render()
        chart?.resize()
        fitSvg()
      })
      observer.observe(node)
    }
  })

  watch(option, render, { deep: false })

  onBeforeUnmount(() => {
    observer?.disconnect()
    chart?.dispose()
    chart = null
  })

  return { instance: () => chart }
}
