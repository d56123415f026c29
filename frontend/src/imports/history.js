import { ApiError, errorMessage } from '../api/http.js'

/**
 * The import centre's one history, made of three services' own records: registry's import
 * runs (楼宇、房源、企业、入驻, trial runs included), metrics' fact batches (税收数据, file
 * uploads and the bureaus' API batches) and tasks' imported plans (工作方案). Each is turned
 * into the same row; rows are merged newest first. A source that failed is reported on its
 * own and the others still show.
 */

export const REGISTRY_KIND_LABELS = Object.freeze({
  buildings: '楼宇',
  spaces: '房源',
  enterprises: '企业',
  occupancies: '入驻',
})

/** The three sources: what the centre calls them in its history and its failure messages. */
export const SOURCES = Object.freeze({
  registry: { label: '楼宇数据', service: '楼宇登记服务' },
  facts: { label: '税收数据', service: '税收数据服务' },
  plans: { label: '工作方案', service: '任务服务' },
})

function itemsOf(answer) {
  if (Array.isArray(answer)) return answer
  return Array.isArray(answer?.items) ? answer.items : []
}

function count(value) {
  const n = Number(value)
  return Number.isFinite(n) ? n : null
}

/** One registry import run → a history row. */
export function registryRow(run) {
  const refused = count(run.rejected_count) ?? (run.rejected || []).length
  const total = count(run.rows_total)
  let result
  let tone
  if (run.applied) {
    result = '已导入'
    tone = 'success'
  } else if (run.dry_run) {
    result = refused ? '预检发现问题' : '预检通过（未写入）'
    tone = refused ? 'warning' : 'info'
  } else {
    result = '未导入（有问题行）'
    tone = 'danger'
  }
  return {
    key: `registry-${run.id}`,
    source: 'registry',
    kind: `${REGISTRY_KIND_LABELS[run.kind] || run.kind}${run.dry_run ? '（预检）' : ''}`,
    name: run.file_name || `导入 #${run.id}`,
    actor: run.actor || '',
    at: run.created_at,
    accepted: total === null ? null : Math.max(total - refused, 0),
    refused,
    result,
    tone,
  }
}

/** One metrics fact batch (a file upload or a bureau system's API batch) → a history row. */
export function factsRow(batch) {
  const refused = count(batch.rejected_count) ?? 0
  let result
  let tone
  if (batch.status === 'processing') {
    result = '处理中'
    tone = 'info'
  } else if (batch.status === 'failed') {
    result = '处理失败'
    tone = 'danger'
  } else if (refused) {
    result = '已保存，部分行被拒绝'
    tone = 'warning'
  } else {
    result = '已导入'
    tone = 'success'
  }
  const upload = batch.origin === 'upload'
  return {
    key: `facts-${batch.id}`,
    source: 'facts',
    kind: upload ? '税收数据' : '税收数据（接口报送）',
    name: batch.file_name || `批次 #${batch.id}`,
    actor: batch.submitted_by || '',
    at: batch.created_at,
    accepted: count(batch.accepted),
    refused,
    result,
    tone,
  }
}

/** One imported 工作方案 → a history row (its tasks are what it brought in). */
export function planRow(plan) {
  const tasks = count(plan.task_count)
  return {
    key: `plans-${plan.id}`,
    source: 'plans',
    kind: '工作方案',
    name: plan.doc_number ? `${plan.title}（${plan.doc_number}）` : plan.title,
    actor: plan.created_by || '',
    at: plan.created_at,
    accepted: tasks,
    refused: null,
    result: tasks === null ? '已导入' : `已导入 ${tasks} 项任务`,
    tone: 'success',
    planId: plan.id,
  }
}

const TO_ROW = { registry: registryRow, facts: factsRow, plans: planRow }

function time(value) {
  const t = Date.parse(value)
  return Number.isNaN(t) ? -Infinity : t
}

/**
 * The rows of every source that answered, newest first (equal times: registry, facts, plans,
 * then the higher id first, as each source lists them).
 * @param {Record<string, unknown>} answers  source → what its history call answered
 */
export function mergeHistories(answers) {
  const rows = []
  for (const [source, answer] of Object.entries(answers)) {
    const toRow = TO_ROW[source]
    if (!toRow || answer === undefined || answer === null) continue
    itemsOf(answer).forEach((item, index) => rows.push({ ...toRow(item), order: index }))
  }
  const rank = Object.keys(TO_ROW)
  rows.sort((a, b) => time(b.at) - time(a.at) || rank.indexOf(a.source) - rank.indexOf(b.source) || a.order - b.order)
  return rows.map(({ order, ...row }) => row)
}

/** The sentence for a source whose history could not be loaded: the service is down, or why not. */
export function sourceFailure(source, error) {
  const { label, service } = SOURCES[source] || { label: source, service: source }
  const down = !(error instanceof ApiError) || error.status === 0 || error.status >= 500
  if (down) return `${service}暂不可用，${label}的导入记录暂时无法显示`
  return `${label}的导入记录未能加载：${errorMessage(error)}`
}

/**
 * Ask every source for its history at once; each settles on its own.
 * @param {Record<string, () => Promise<unknown>>} loaders  source → its history call
 * @returns {Promise<{rows: object[], failures: {source: string, message: string, error: unknown}[]}>}
 */
export async function loadHistories(loaders) {
  const entries = Object.entries(loaders)
  const settled = await Promise.allSettled(entries.map(([, load]) => load()))
  const answers = {}
  const failures = []
  settled.forEach((outcome, i) => {
    const source = entries[i][0]
    if (outcome.status === 'fulfilled') answers[source] = outcome.value
    else failures.push({ source, message: sourceFailure(source, outcome.reason), error: outcome.reason })
  })
  return { rows: mergeHistories(answers), failures }
}
