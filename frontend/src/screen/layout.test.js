import { describe, expect, it } from 'vitest'
import { headlineCards, scaleFor, secondsFrom, topWarnings } from './layout.js'

describe('scaleFor', () => {
  it('fits the 1920×1080 design without reflow', () => {
    expect(scaleFor(1920, 1080)).toBe(1)
    expect(scaleFor(3840, 2160)).toBe(2)
    expect(scaleFor(1920, 1200)).toBe(1)
    expect(scaleFor(0, 0)).toBe(1)
  })
})

describe('topWarnings', () => {
  it('never hides a severe warning behind minor ones', () => {
    const minor = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, level: 'minor' }))
    const shown = topWarnings([...minor, { id: 99, level: 'severe' }, { id: 98, level: 'major' }], 6)
    expect(shown.map((w) => w.id)).toEqual([99, 98, 1, 2, 3, 4])
  })
})

describe('headlineCards', () => {
  it('writes the value and 同比', () => {
    const [card] = headlineCards([{ key: 'tax_total', label: '全口径税收', unit: '元', value: 123_000_000, yoy: 0.052 }])
    expect(card.value).toContain('亿')
    expect(card.change).toBe('同比+5.2%')
    expect(card.tone).toBe('up')
  })
})

describe('secondsFrom', () => {
  it('takes a sane override from the address', () => {
    expect(secondsFrom({ refresh: '2' }, 'refresh', 300)).toBe(2)
    expect(secondsFrom({ refresh: 'x' }, 'refresh', 300)).toBe(300)
    expect(secondsFrom({}, 'refresh', 300)).toBe(300)
  })
})
