import { describe, expect, it } from 'vitest'
import { batchSummary, fieldLabel, sourceLabel } from './facts.js'

describe('facts words', () => {
  it('names sources and fields', () => {
    expect(sourceLabel('tax_bureau')).toBe('税务局')
    expect(sourceLabel('x')).toBe('x')
    expect(fieldLabel('credit_code')).toBe('统一社会信用代码')
  })
  it('sums up a batch in one line', () => {
    expect(
      batchSummary({
        status: 'done',
        rows_total: 1200,
        accepted: 1198,
        created: 1000,
        updated: 98,
        unchanged: 100,
        rejected_count: 2,
        unregistered_count: 3,
      }),
    ).toBe('共1,200行 · 有效1,198 · 新增1,000 · 更正98 · 无变化100 · 问题2 · 在税不在册3')
    expect(batchSummary({ status: 'processing' })).toBe('处理中…')
    expect(batchSummary({ status: 'failed', error: '数据库不可用' })).toBe('处理失败：数据库不可用')
  })
})
