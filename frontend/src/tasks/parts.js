/** 责任分解: how a part's report state and the cycle read in a clerk's words. */

export const DUE_STATES = Object.freeze({
  none: { label: '无需报送', tone: 'info' },
  upcoming: { label: '未到期', tone: 'info' },
  due: { label: '待报送', tone: 'warning' },
  overdue: { label: '逾期未报', tone: 'danger' },
})

export function dueStateLabel(state) {
  return DUE_STATES[state]?.label || '—'
}

export function dueStateTone(state) {
  return DUE_STATES[state]?.tone || 'info'
}

/** "每月 25 日" / "每 3 个月 10 日" (the cycle the bureau set). */
export function cycleLabel(cycle) {
  if (!cycle) return '—'
  const every = cycle.months === 1 ? '每月' : cycle.months === 3 ? '每季度（每 3 个月）' : `每 ${cycle.months} 个月`
  const scope = { task: '本任务设置', plan: '方案统一设置', default: '默认' }[cycle.scope] || ''
  return `${every} ${cycle.day} 日前报送${scope ? `（${scope}）` : ''}，逾期 ${cycle.grace_days} 天未报即督办`
}

/** The parts the caller reports on (their own units'). */
export function myParts(parts = []) {
  return parts.filter((p) => p.can_report)
}

/** Due dates with how many units reported for each ("3/5 已报"). */
export function dueDateRows(dueDates = [], today) {
  return dueDates.map((d) => {
    const values = Object.values(d.reported || {})
    const reported = values.filter(Boolean).length
    return {
      due_date: d.due_date,
      reported,
      total: values.length,
      past: today ? d.due_date <= today : false,
    }
  })
}
