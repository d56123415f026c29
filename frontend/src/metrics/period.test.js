import { describe, expect, it } from 'vitest'
import { defaultPeriod, formatPeriod, parsePeriod, periodKey, periodMonths, previousYear } from './period.js'

describe('parsePeriod / periodKey', () => {
  it('reads the four kinds the API accepts and writes them back', () => {
    for (const [text, parsed] of [
      ['2025', { kind: 'year', year: 2025 }],
      ['2025-YTD', { kind: 'ytd', year: 2025 }],
      ['2025-Q2', { kind: 'quarter', year: 2025, quarter: 2 }],
      ['2025-06', { kind: 'month', year: 2025, month: 6 }],
    ]) {
      expect(parsePeriod(text)).toEqual(parsed)
      expect(periodKey(parsed)).toBe(text)
    }
    expect(parsePeriod('2025-ytd')).toEqual({ kind: 'ytd', year: 2025 })
    // the service's own key for a year to date, with the month it reaches
    expect(parsePeriod('2025-09-YTD')).toEqual({ kind: 'ytd', year: 2025, through: 9 })
    expect(periodKey(parsePeriod('2025-09-YTD'))).toBe('2025-YTD')
  })

  it('refuses what is not a period', () => {
    for (const bad of ['', '25', '2025-13', '2025-Q5', '2025-6', 'abc', null, undefined, 2025]) {
      expect(parsePeriod(bad)).toBeNull()
    }
    expect(periodKey({ kind: 'quarter', year: 2025 })).toBeNull()
    expect(periodKey({ kind: 'month', year: 2025, month: 13 })).toBeNull()
  })
})

describe('formatPeriod', () => {
  it('writes periods as a report does', () => {
    expect(formatPeriod('2025')).toBe('2025年全年')
    expect(formatPeriod('2025-Q2')).toBe('2025年第二季度')
    expect(formatPeriod('2025-Q4')).toBe('2025年第四季度')
    expect(formatPeriod('2025-03')).toBe('2025年3月')
  })

  it('says how far a year to date reaches when it is known', () => {
    expect(formatPeriod('2025-YTD', { throughMonth: 9 })).toBe('2025年1—9月累计')
    expect(formatPeriod('2025-YTD', { throughMonth: 1 })).toBe('2025年1月')
    expect(formatPeriod('2025-YTD')).toBe('2025年累计（年初至今）')
    expect(formatPeriod('2025-06-YTD')).toBe('2025年1—6月累计')
  })

  it('shows an unknown string as it came, and nothing as a dash', () => {
    expect(formatPeriod('上半年')).toBe('上半年')
    expect(formatPeriod(null)).toBe('—')
  })
})

describe('period arithmetic', () => {
  it('gives the same period a year earlier', () => {
    expect(previousYear('2025-Q2')).toBe('2024-Q2')
    expect(previousYear('2025-YTD')).toBe('2024-YTD')
    expect(previousYear('2025-01')).toBe('2024-01')
    expect(previousYear('x')).toBeNull()
    expect(previousYear('2025-09-YTD')).toBe('2024-09-YTD')
  })

  it('lists the months of a period', () => {
    expect(periodMonths('2025-Q3')).toEqual(['2025-07', '2025-08', '2025-09'])
    expect(periodMonths('2025-02')).toEqual(['2025-02'])
    expect(periodMonths('2025')).toHaveLength(12)
    expect(periodMonths('2025-YTD', { throughMonth: 4 })).toEqual(['2025-01', '2025-02', '2025-03', '2025-04'])
  })

  it('opens on the year to date of the latest figures', () => {
    expect(defaultPeriod('2025-09')).toBe('2025-YTD')
    expect(defaultPeriod(null, new Date('2026-01-01T01:00:00+08:00'))).toBe('2026-YTD')
  })
})
