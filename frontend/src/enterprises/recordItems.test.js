import { describe, expect, it } from 'vitest'
import { applicationLine, applicationStatus, deliveryLine, eventKindLabel, eventLine, stayLine } from './recordItems.js'

describe('一企一档 policy and event lines', () => {
  it('says an application in Chinese with money and dates formatted', () => {
    const a = { status: 'paid', applied_on: '2025-04-01', amount_granted: '120000.00', paid_on: '2025-08-01' }
    expect(applicationStatus(a).label).toBe('已兑现')
    expect(applicationLine(a)).toBe('申报 2025年4月1日 · 核定 12.00万元 · 兑现 2025年8月1日')
    expect(applicationLine({ status: 'applied', applied_on: '2025-05-02', amount_granted: null, paid_on: null })).toBe('申报 2025年5月2日')
    expect(applicationStatus({ status: 'weird' }).label).toBe('未知状态')
  })

  it('says who delivered a policy, when and how', () => {
    expect(deliveryLine({ method: 'visit', delivered_on: '2025-08-01', delivered_by: 'louzhang' })).toBe(
      '2025年8月1日 由 louzhang 走访送达',
    )
    expect(deliveryLine({ method: 'other', delivered_on: '2025-08-02', delivered_by: 'shangwu' })).toContain('其他方式送达')
  })

  it('names event kinds and places, never the codes', () => {
    expect(eventKindLabel('bank_enterprise')).toBe('银企对接')
    expect(eventKindLabel('nonsense')).toBe('其他活动')
    expect(eventLine({ event_date: '2025-06-18', building_name: '数创大厦', place: '', attendance: 40 })).toBe(
      '2025年6月18日 · 数创大厦 · 参加 40 人',
    )
    expect(eventLine({ event_date: '2025-06-18', building_name: '', place: '区政府会议室', attendance: null })).toBe(
      '2025年6月18日 · 区政府会议室',
    )
  })

  it('gives a centre stay its span', () => {
    expect(stayLine({ start_date: '2023-03-01', end_date: '2023-12-31', desks: 2 })).toBe('2023年3月1日 至 2023年12月31日 · 2 个工位')
    expect(stayLine({ start_date: '2024-01-05', end_date: null, desks: 1 })).toBe('2024年1月5日 至 今 · 1 个工位')
  })
})
