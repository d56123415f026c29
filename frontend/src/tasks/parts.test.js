import { describe, expect, it } from 'vitest'
import { cycleLabel, dueDateRows, dueStateLabel, myParts } from './parts.js'

describe('parts', () => {
  it('names the cycle as the bureau set it', () => {
    expect(cycleLabel({ months: 1, day: 25, scope: 'default', grace_days: 5 })).toBe('每月 25 日前报送（默认），逾期 5 天未报即督办')
    expect(cycleLabel({ months: 3, day: 10, scope: 'plan', grace_days: 3 })).toContain('每季度')
  })
  it('names the report state', () => {
    expect(dueStateLabel('overdue')).toBe('逾期未报')
    expect(dueStateLabel('nonsense')).toBe('—')
  })
  it('keeps only the parts the caller reports on', () => {
    expect(
      myParts([
        { id: 1, can_report: true },
        { id: 2, can_report: false },
      ]).map((p) => p.id),
    ).toEqual([1])
  })
  it('counts the units that reported for each due date', () => {
    const rows = dueDateRows([{ due_date: '2025-03-25', reported: { swj: true, fgj: false } }], '2025-04-01')
    expect(rows).toEqual([{ due_date: '2025-03-25', reported: 1, total: 2, past: true }])
  })
})
