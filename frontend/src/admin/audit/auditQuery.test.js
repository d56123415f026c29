import { describe, expect, it } from 'vitest'
import { actorKindLabel, auditApiQuery, chinaDayEnd, chinaDayStart, formatAuditTime, rangeProblem } from './auditQuery.js'

describe('China days to moments', () => {
  it('starts a day at midnight Beijing time and ends it at the next midnight', () => {
    expect(chinaDayStart('2026-03-05')).toBe('2026-03-05T00:00:00+08:00')
    expect(chinaDayEnd('2026-03-05')).toBe('2026-03-06T00:00:00+08:00')
  })

  it('crosses month and year ends and leap days', () => {
    expect(chinaDayEnd('2026-02-28')).toBe('2026-03-01T00:00:00+08:00')
    expect(chinaDayEnd('2028-02-28')).toBe('2028-02-29T00:00:00+08:00')
    expect(chinaDayEnd('2026-12-31')).toBe('2027-01-01T00:00:00+08:00')
  })

  it('ignores what is not a day', () => {
    expect(chinaDayStart('')).toBe('')
    expect(chinaDayEnd('3月5日')).toBe('')
  })
})

describe('auditApiQuery', () => {
  const state = { actor: ' zhangsan ', action: 'user.', result: '', from: '2026-03-01', to: '2026-03-05', page: 2, page_size: 50 }

  it('turns the list state into the API filters', () => {
    expect(auditApiQuery(state)).toEqual({
      actor: 'zhangsan',
      action: 'user.',
      since: '2026-03-01T00:00:00+08:00',
      until: '2026-03-06T00:00:00+08:00',
      page: 2,
      page_size: 50,
    })
  })

  it('leaves paging out for the export', () => {
    expect(auditApiQuery({ ...state, from: '', to: '' }, { paging: false })).toEqual({ actor: 'zhangsan', action: 'user.' })
  })
})

describe('rangeProblem', () => {
  it('refuses an end before the start', () => {
    expect(rangeProblem('2026-03-05', '2026-03-04')).toBe('截止日期不能早于起始日期')
    expect(rangeProblem('2026-03-05', '2026-03-05')).toBe('')
    expect(rangeProblem('', '2026-03-04')).toBe('')
  })
})

describe('formatAuditTime', () => {
  it('shows the second in China time', () => {
    expect(formatAuditTime('2026-03-04T16:01:09Z')).toBe('2026年3月5日 00:01:09')
    expect(formatAuditTime('2026-03-05T14:30:15+08:00')).toBe('2026年3月5日 14:30:15')
  })

  it('shows a dash for nothing', () => {
    expect(formatAuditTime(null)).toBe('—')
    expect(formatAuditTime('not a date')).toBe('—')
  })
})

describe('actorKindLabel', () => {
  it('tells a bureau system from a person', () => {
    expect(actorKindLabel('client', 'client:lyc_1')).toBe('机器客户端')
    expect(actorKindLabel(null, 'client:lyc_1')).toBe('机器客户端')
    expect(actorKindLabel('user', 'zhangsan')).toBe('用户')
    expect(actorKindLabel(null, null)).toBe('')
  })
})
