import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/http.js'
import { factsRow, loadHistories, mergeHistories, planRow, registryRow, sourceFailure } from './history.js'

const run = (over) => ({
  id: 1,
  kind: 'enterprises',
  file_name: '企业.csv',
  dry_run: false,
  applied: true,
  rows_total: 3,
  created: 2,
  updated: 1,
  unchanged: 0,
  rejected_count: 0,
  actor: 'demo_bureau',
  created_at: '2026-03-02T08:00:00Z',
  ...over,
})
const batch = (over) => ({
  id: 7,
  status: 'done',
  source: 'tax_bureau',
  origin: 'upload',
  file_name: '税收.xlsx',
  submitted_by: 'demo_bureau',
  rows_total: 10,
  accepted: 10,
  rejected_count: 0,
  created_at: '2026-03-01T08:00:00Z',
  ...over,
})
const plan = (over) => ({
  id: 3,
  title: '关于推进楼宇经济高质量发展的工作方案',
  doc_number: '武昌商〔2026〕1号',
  created_by: 'demo_bureau',
  created_at: '2026-03-03T08:00:00Z',
  ...over,
})

describe('registryRow', () => {
  it('counts the rows that passed and those refused, and says what became of the file', () => {
    expect(registryRow(run())).toMatchObject({ kind: '企业', name: '企业.csv', accepted: 3, refused: 0, result: '已导入', tone: 'success' })
    expect(registryRow(run({ dry_run: true, applied: false, rejected_count: 1 }))).toMatchObject({
      kind: '企业（预检）',
      accepted: 2,
      refused: 1,
      result: '预检发现问题',
      tone: 'warning',
    })
    expect(registryRow(run({ dry_run: true, applied: false }))).toMatchObject({ result: '预检通过（未写入）', tone: 'info' })
    expect(registryRow(run({ applied: false, rejected_count: 2 }))).toMatchObject({ result: '未导入（有问题行）', tone: 'danger' })
  })

  it('counts the listed rejections when the count is missing', () => {
    expect(registryRow(run({ rejected_count: undefined, rejected: [{ row: 2 }], applied: false, dry_run: true }))).toMatchObject({
      refused: 1,
      accepted: 2,
    })
  })
})

describe('factsRow', () => {
  it('tells a file upload from an API batch and a partial batch from a whole one', () => {
    expect(factsRow(batch())).toMatchObject({ kind: '税收数据', name: '税收.xlsx', accepted: 10, refused: 0, result: '已导入' })
    expect(factsRow(batch({ origin: 'api', file_name: null, accepted: 8, rejected_count: 2 }))).toMatchObject({
      kind: '税收数据（接口报送）',
      name: '批次 #7',
      accepted: 8,
      refused: 2,
      result: '已保存，部分行被拒绝',
      tone: 'warning',
    })
    expect(factsRow(batch({ status: 'failed' }))).toMatchObject({ result: '处理失败', tone: 'danger' })
    expect(factsRow(batch({ status: 'processing' }))).toMatchObject({ result: '处理中' })
  })
})

describe('planRow', () => {
  it('names the plan by title and 文号, with its tasks when known', () => {
    expect(planRow(plan())).toMatchObject({
      kind: '工作方案',
      name: '关于推进楼宇经济高质量发展的工作方案（武昌商〔2026〕1号）',
      accepted: null,
      refused: null,
      result: '已导入',
    })
    expect(planRow(plan({ doc_number: '', task_count: 12 }))).toMatchObject({
      name: '关于推进楼宇经济高质量发展的工作方案',
      accepted: 12,
      result: '已导入 12 项任务',
    })
  })
})

describe('mergeHistories', () => {
  it('merges the three sources newest first, whatever shape each list comes in', () => {
    const rows = mergeHistories({
      registry: [run({ id: 2, created_at: '2026-03-02T08:00:00Z' }), run({ id: 1, created_at: '2026-02-01T08:00:00Z' })],
      facts: { items: [batch()], total: 1 },
      plans: { items: [plan()], total: 1 },
    })
    expect(rows.map((r) => r.key)).toEqual(['plans-3', 'registry-2', 'facts-7', 'registry-1'])
  })

  it('leaves out a source that did not answer and keeps each source’s order on equal times', () => {
    const at = '2026-03-02T08:00:00Z'
    const rows = mergeHistories({
      registry: [run({ id: 9, created_at: at }), run({ id: 8, created_at: at })],
      facts: undefined,
      plans: { items: [plan({ created_at: at })] },
    })
    expect(rows.map((r) => r.key)).toEqual(['registry-9', 'registry-8', 'plans-3'])
    expect(rows[0]).not.toHaveProperty('order')
  })

  it('puts rows without a time last', () => {
    const rows = mergeHistories({ registry: [run({ id: 1, created_at: null }), run({ id: 2 })] })
    expect(rows.map((r) => r.key)).toEqual(['registry-2', 'registry-1'])
  })
})

describe('sourceFailure', () => {
  it('says a service is unavailable when it is down or unreachable', () => {
    const down = new ApiError({ status: 503, type: 'ServiceUnavailable', detail: '服务暂时不可用，请稍后重试' })
    expect(sourceFailure('facts', down)).toMatch(/^税收数据服务暂不可用/)
    expect(sourceFailure('plans', new ApiError({ status: 0, type: 'NetworkError', detail: 'x' }))).toMatch(/^任务服务暂不可用/)
  })

  it('gives the server’s reason otherwise', () => {
    const refused = new ApiError({ status: 403, type: 'Forbidden', detail: '无权查看数据批次' })
    expect(sourceFailure('facts', refused)).toBe('税收数据的导入记录未能加载：无权查看数据批次')
  })
})

describe('loadHistories', () => {
  it('shows what answered when one source fails', async () => {
    const down = new ApiError({ status: 502, type: 'ServiceUnavailable', detail: '服务暂时不可用，请稍后重试' })
    const { rows, failures } = await loadHistories({
      registry: async () => [run()],
      facts: async () => {
        throw down
      },
      plans: async () => ({ items: [plan()] }),
    })
    expect(rows.map((r) => r.source)).toEqual(['plans', 'registry'])
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatchObject({ source: 'facts', error: down })
    expect(failures[0].message).toContain('税收数据服务暂不可用')
  })
})
