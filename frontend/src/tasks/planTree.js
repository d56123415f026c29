/**
 * Working on the parsed plan (tasks.plans.schemas.ParsedPlan) in the import preview: counts,
 * the warnings of one node, and corrections (title, units, role) made before saving. Pure
 * functions on plain objects: the page keeps one reactive copy and sends it back as `plan`.
 */

/** Every node of the task tree, depth first, with its depth. */
export function flatten(nodes = [], depth = 0, out = []) {
  for (const n of nodes) {
    out.push({ node: n, depth })
    flatten(n.children || [], depth + 1, out)
  }
  return out
}

/** How many nodes of each kind (section / task / subtask / milestone). */
export function countKinds(nodes = []) {
  const out = { section: 0, task: 0, subtask: 0, milestone: 0 }
  for (const { node } of flatten(nodes)) out[node.kind] = (out[node.kind] || 0) + 1
  return out
}

/** Units that were not recognised anywhere in the tree (written as, with the node keys). */
export function unknownUnits(nodes = []) {
  const out = []
  for (const { node } of flatten(nodes)) {
    for (const u of node.units || []) if (!u.code) out.push({ key: node.key, written: u.written })
  }
  return out
}

/** The node with `key`, or null. */
export function findNode(nodes = [], key) {
  for (const { node } of flatten(nodes)) if (node.key === key) return node
  return null
}

/** Warnings that point at a node ("任务 三(一)1" or its line), for showing beside it. */
export function warningsFor(node, warnings = []) {
  return warnings.filter(
    (w) => (node.line && w.line === node.line) || (w.where && node.number && w.where.endsWith(node.number.replace(/[.、．]$/, ''))),
  )
}

/** A unit picked in the directory replaces (or adds) an assignment, marked as a manual correction. */
export function setUnit(node, index, unit) {
  const units = [...(node.units || [])]
  const before = units[index]
  const next = {
    written: before?.written || unit.name,
    code: unit.code,
    name: unit.name,
    role: before?.role || (units.some((u) => u.role === 'lead') ? 'co' : 'lead'),
    matched_by: 'manual',
  }
  if (index === undefined || index === null || index >= units.length) units.push(next)
  else units[index] = next
  node.units = dedupe(units)
}

export function removeUnit(node, index) {
  node.units = (node.units || []).filter((_, i) => i !== index)
}

/** Make one unit the lead (牵头) of the task; the others become co-organisers (配合). */
export function makeLead(node, index) {
  node.units = (node.units || []).map((u, i) => ({ ...u, role: i === index ? 'lead' : 'co' }))
}

function dedupe(units) {
  const seen = new Set()
  return units.filter((u) => {
    if (!u.code) return true
    if (seen.has(u.code)) return false
    seen.add(u.code)
    return true
  })
}

export const MATCH_LABELS = Object.freeze({
  exact: '',
  variant: '按别名识别',
  near: '近似识别，请核对',
  unknown: '未识别',
  manual: '人工更正',
})

/** How a goal compares with its target (the tasks service's GoalNode.comparison). */
export const GOAL_COMPARISONS = Object.freeze({
  increase: '较上年末新增',
  at_least: '达到（≥）',
  at_most: '不高于（≤）',
  equal: '等于',
})

/**
 * A goal added by hand in the preview: a figure the metrics service does not compute (the
 * bureau enters its progress), so its code is made from nothing the user types.
 */
export function newGoal() {
  return {
    metric: `custom_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
    metric_name: '',
    comparison: 'at_least',
    target: '',
    unit: '',
    text: '',
  }
}

/**
 * A task's units for display: a collective name the document wrote once ("各街道办事处")
 * and the parser expanded to its members is one group (shown folded, "14 个街道"); every
 * other unit stands alone. Each entry keeps the indexes of its units in `node.units`.
 * @returns {{written: string|null, items: {unit: object, index: number}[]}[]}
 */
export function unitGroups(units = []) {
  const groups = []
  units.forEach((unit, index) => {
    const collective = unit.code && unit.written && unit.written !== unit.name && unit.written !== unit.code
    const last = groups[groups.length - 1]
    if (collective && last && last.written === unit.written) last.items.push({ unit, index })
    else groups.push({ written: collective ? unit.written : null, items: [{ unit, index }] })
  })
  // A "group" of one is an alias match (区发展和改革局 → 区发改局), not an expansion.
  return groups.flatMap((g) => (g.written && g.items.length < 2 ? g.items.map((it) => ({ written: null, items: [it] })) : [g]))
}
