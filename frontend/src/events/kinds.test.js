import { describe, expect, it } from 'vitest'
import { canRecordEvents, monthGrid, shiftMonth } from './kinds.js'

describe('monthGrid', () => {
  it('starts on Monday and pads the weeks', () => {
    // 2025-09-01 is a Monday; September has 30 days → 5 weeks.
    const weeks = monthGrid('2025-09')
    expect(weeks).toHaveLength(5)
    expect(weeks[0][0]).toEqual({ iso: '2025-09-01', day: 1 })
    expect(weeks[4][1]).toEqual({ iso: '2025-09-30', day: 30 })
    expect(weeks[4][2]).toBeNull()
  })
  it('leaves the days before the 1st empty', () => {
    // 2026-02-01 is a Sunday.
    const weeks = monthGrid('2026-02')
    expect(weeks[0].slice(0, 6)).toEqual([null, null, null, null, null, null])
    expect(weeks[0][6].iso).toBe('2026-02-01')
  })
})

describe('shiftMonth', () => {
  it('crosses years', () => {
    expect(shiftMonth('2025-12', 1)).toBe('2026-01')
    expect(shiftMonth('2025-01', -1)).toBe('2024-12')
  })
})

describe('canRecordEvents', () => {
  it('is for the bureau and streets', () => {
    expect(canRecordEvents({ roles: ['bureau'] })).toBe(true)
    expect(canRecordEvents({ roles: ['street'] })).toBe(true)
    expect(canRecordEvents({ roles: ['leader'] })).toBe(false)
    expect(canRecordEvents(null)).toBe(false)
  })
})
