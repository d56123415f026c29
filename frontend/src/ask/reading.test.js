import { describe, expect, it } from 'vitest'
import { askQuery, editsFromQuery, readingLine, withEdit } from './reading.js'

describe('问数 reading helpers', () => {
  it('writes the reading as one line', () => {
    const parts = [
      { key: 'metric', label: '指标', value: '全口径税收' },
      { key: 'entity', label: '楼宇', value: '中交大厦' },
      { key: 'period', label: '期间', value: '2025年1-11月' },
      { key: 'compare', label: '比较', value: '同比' },
    ]
    expect(readingLine(parts)).toBe('指标：全口径税收；楼宇：中交大厦；期间：2025年1-11月；比较：同比')
    expect(readingLine(null)).toBe('')
  })

  it('adds, replaces and removes an edit', () => {
    expect(withEdit({}, 'period', ' 去年 ')).toEqual({ period: '去年' })
    expect(withEdit({ period: '去年' }, 'period', '一季度')).toEqual({ period: '一季度' })
    expect(withEdit({ period: '去年', entity: '全区' }, 'period', '')).toEqual({ entity: '全区' })
  })

  it('round-trips edits through the query string and refuses junk', () => {
    const q = askQuery('中交大厦税收', { period: '去年' })
    expect(q).toEqual({ q: '中交大厦税收', edits: '{"period":"去年"}' })
    expect(editsFromQuery(q.edits)).toEqual({ period: '去年' })
    expect(askQuery('x', {})).toEqual({ q: 'x' })
    expect(editsFromQuery('{bad')).toEqual({})
    expect(editsFromQuery('[1]')).toEqual({})
    expect(editsFromQuery('{"evil":"x","period":3}')).toEqual({})
  })
})
