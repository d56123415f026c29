import { describe, expect, it } from 'vitest'
import {
  EMPTY,
  formatArea,
  formatAreaExact,
  formatDate,
  formatDatesInText,
  formatDateTime,
  formatMoney,
  formatNumber,
  formatPercent,
  formatProgress,
  formatRent,
  formatWanYuan,
  formatYearMonth,
  formatYiYuan,
  formatYuanPerSquareMeter,
  todayIso,
} from './format.js'

describe('formatNumber', () => {
  it('groups thousands and fixes decimals', () => {
    expect(formatNumber(1234567.891, { digits: 2 })).toBe('1,234,567.89')
    expect(formatNumber(1234567)).toBe('1,234,567')
  })
  it('rounds half up on the written decimal', () => {
    expect(formatNumber(1.005, { digits: 2 })).toBe('1.01')
    expect(formatNumber(-2.5)).toBe('-3')
  })
  it('drops trailing zeros when not fixed', () => {
    expect(formatNumber(12.5, { digits: 2, fixed: false })).toBe('12.5')
  })
  it('shows a dash, not 0, for missing values', () => {
    for (const v of [null, undefined, '', Number.NaN, 'abc']) expect(formatNumber(v)).toBe(EMPTY)
    expect(formatNumber(0)).toBe('0')
  })
  it('accepts numeric strings (decimals come as strings from the API)', () => {
    expect(formatNumber('4373.5')).toBe('4,374')
  })
})

describe('formatMoney', () => {
  it('picks 元, 万元 or 亿元 by size', () => {
    expect(formatMoney(8500)).toBe('8,500元')
    expect(formatMoney(1234567)).toBe('123.46万元')
    expect(formatMoney(123456789)).toBe('1.23亿元')
    expect(formatMoney(1_000_000_000)).toBe('10.00亿元')
  })
  it('moves up to 亿元 rather than showing 10,000.00万元', () => {
    expect(formatMoney(99_999_999)).toBe('1.00亿元')
    expect(formatMoney(99_990_000)).toBe('9,999.00万元')
  })
  it('keeps the sign', () => {
    expect(formatMoney(-25_000_000)).toBe('-2,500.00万元')
  })
  it('honours a forced unit and digits', () => {
    expect(formatMoney(123456789, { unit: '万元', digits: 0 })).toBe('12,346万元')
    expect(formatWanYuan(50_000)).toBe('5.00万元')
    expect(formatYiYuan(250_000_000, { digits: 1 })).toBe('2.5亿元')
    expect(formatMoney(1234.5, { unit: '元', digits: 2 })).toBe('1,234.50元')
  })
  it('shows a dash for missing money', () => {
    expect(formatMoney(null)).toBe(EMPTY)
    expect(formatWanYuan(undefined)).toBe(EMPTY)
  })
})

describe('per-area, area and percent', () => {
  it('formats 元/㎡', () => {
    expect(formatYuanPerSquareMeter(4373.2)).toBe('4,373元/㎡')
    expect(formatYuanPerSquareMeter(5000.456, { digits: 1 })).toBe('5,000.5元/㎡')
    expect(formatYuanPerSquareMeter(null)).toBe(EMPTY)
  })
  it('formats areas in ㎡ and 万㎡', () => {
    expect(formatArea(52000)).toBe('52,000㎡')
    expect(formatArea(52000, { unit: '万㎡' })).toBe('5.20万㎡')
  })
  it('formats ratios as percent', () => {
    expect(formatPercent(0.8534)).toBe('85.3%')
    expect(formatPercent(1)).toBe('100.0%')
    expect(formatPercent(null)).toBe(EMPTY)
  })
})

describe('dates', () => {
  it('writes months the Chinese way', () => {
    expect(formatYearMonth('2025-03')).toBe('2025年3月')
    expect(formatYearMonth('2025-03-31')).toBe('2025年3月')
    expect(formatYearMonth('2025-12-01')).toBe('2025年12月')
  })
  it('takes calendar dates as written, without a time zone shift', () => {
    expect(formatDate('2025-03-01')).toBe('2025年3月1日')
  })
  it('shows moments in China time', () => {
    // 2025-03-31 20:00 UTC is already 1 April in Wuhan.
    expect(formatYearMonth('2025-03-31T20:00:00Z')).toBe('2025年4月')
    expect(formatDateTime('2025-03-05T06:30:00Z')).toBe('2025年3月5日 14:30')
    expect(formatDateTime('2025-03-05T06:30:09Z', { seconds: true })).toBe('2025年3月5日 14:30:09')
    expect(formatDate(new Date(Date.UTC(2025, 2, 5, 1, 0)))).toBe('2025年3月5日')
  })
  it('shows a dash for missing or invalid dates', () => {
    expect(formatYearMonth(null)).toBe(EMPTY)
    expect(formatYearMonth('2025-13')).toBe(EMPTY)
    expect(formatDateTime('not a date')).toBe(EMPTY)
  })
})

describe('registry formats', () => {
  it('writes areas to 0.1 ㎡ without trailing zeros', () => {
    expect(formatAreaExact(12345.6)).toBe('12,345.6㎡')
    expect(formatAreaExact(800)).toBe('800㎡')
    expect(formatAreaExact('850.50')).toBe('850.5㎡')
    expect(formatAreaExact(0.04)).toBe('0㎡')
    expect(formatAreaExact(null)).toBe(EMPTY)
  })
  it('writes asking rent per ㎡ per month', () => {
    expect(formatRent(85.5)).toBe('85.5元/㎡·月')
    expect(formatRent(120)).toBe('120元/㎡·月')
    expect(formatRent(null)).toBe(EMPTY)
  })
  it('writes dates the Chinese way', () => {
    expect(formatDate('2025-03-05')).toBe('2025年3月5日')
  })
  it("gives today's date in China as the API writes it", () => {
    expect(todayIso(new Date('2025-03-04T16:30:00Z'))).toBe('2025-03-05') // 00:30 in Wuhan
    expect(todayIso(new Date('2025-12-31T15:59:00Z'))).toBe('2025-12-31')
  })
})

describe('formatProgress', () => {
  it('writes a whole percent with its sign', () => {
    expect(formatProgress(60)).toBe('60%')
    expect(formatProgress(0)).toBe('0%')
    expect(formatProgress('100')).toBe('100%')
  })
  it('keeps within 0–100 and rounds', () => {
    expect(formatProgress(120)).toBe('100%')
    expect(formatProgress(-5)).toBe('0%')
    expect(formatProgress(33.6)).toBe('34%')
  })
  it('shows a missing progress as missing, not as 0%', () => {
    expect(formatProgress(null)).toBe(EMPTY)
    expect(formatProgress(undefined)).toBe(EMPTY)
  })
})

describe('formatDatesInText', () => {
  it('says the dates of a server sentence the Chinese way', () => {
    expect(formatDatesInText('已逾期 423 天（时限 2025-09-30），当前进度 80%')).toBe('已逾期 423 天（时限 2025年9月30日），当前进度 80%')
    expect(formatDatesInText('上年同日（2025-11-27）65.61%，2026-03-05 起')).toBe('上年同日（2025年11月27日）65.61%，2026年3月5日 起')
  })
  it('puts a moment with a zone in China time, one without as written', () => {
    expect(formatDatesInText('于 2025-03-05T06:30:00Z 发出')).toBe('于 2025年3月5日 14:30 发出')
    expect(formatDatesInText('于 2025-03-05T06:30:00+0800 发出')).toBe('于 2025年3月5日 06:30 发出')
    expect(formatDatesInText('于 2025-03-05 06:30 发出')).toBe('于 2025年3月5日 06:30 发出')
  })
  it('leaves codes, months, impossible dates and empty text alone', () => {
    expect(formatDatesInText('楼宇 420106-0001，期间 2025-03')).toBe('楼宇 420106-0001，期间 2025-03')
    expect(formatDatesInText('2025-13-45')).toBe('2025-13-45')
    expect(formatDatesInText(null)).toBe('')
    expect(formatDatesInText('没有日期')).toBe('没有日期')
  })
})
