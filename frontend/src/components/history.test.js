import { describe, expect, it } from 'vitest'
import { historyValue } from './history.js'

describe('historyValue', () => {
  it('writes dates the Chinese way and names known codes', () => {
    expect(historyValue('2022-07-20')).toBe('2022年7月20日')
    expect(historyValue('global500')).toBe('世界500强')
    expect(historyValue(['china500', '2013-12-20'])).toBe('中国500强、2013年12月20日')
  })

  it('keeps what it does not know and says when a value is empty', () => {
    expect(historyValue('武汉某公司')).toBe('武汉某公司')
    expect(historyValue(null)).toBe('（空）')
    expect(historyValue(true)).toBe('是')
  })
})
