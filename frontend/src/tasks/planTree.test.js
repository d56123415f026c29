import { describe, expect, it } from 'vitest'
import { GOAL_COMPARISONS, countKinds, findNode, makeLead, newGoal, removeUnit, setUnit, unitGroups, unknownUnits } from './planTree.js'

function tree() {
  return [
    {
      key: 't3.1',
      kind: 'section',
      number: '（一）',
      title: '加强顶层设计',
      units: [],
      children: [
        {
          key: 't3.1.1',
          kind: 'task',
          number: '1.',
          title: '优化楼长制运行体系',
          units: [
            { written: '区商务局', code: 'swj', name: '区商务局', role: 'lead', matched_by: 'exact' },
            { written: '区某某局', code: null, name: null, role: 'co', matched_by: 'unknown' },
          ],
          children: [],
        },
        { key: 't3.1.2', kind: 'task', number: '2.', title: '深化产业链协同机制', units: [], children: [] },
      ],
    },
  ]
}

describe('the plan tree in the import preview', () => {
  it('counts sections and tasks', () => {
    expect(countKinds(tree())).toEqual({ section: 1, task: 2, subtask: 0, milestone: 0 })
  })

  it('lists the units not recognised', () => {
    expect(unknownUnits(tree())).toEqual([{ key: 't3.1.1', written: '区某某局' }])
  })

  it('replaces an unknown unit by a directory unit, keeping what the document wrote', () => {
    const t = tree()
    const node = findNode(t, 't3.1.1')
    setUnit(node, 1, { code: 'fgj', name: '区发改局' })
    expect(node.units[1]).toEqual({ written: '区某某局', code: 'fgj', name: '区发改局', role: 'co', matched_by: 'manual' })
    expect(unknownUnits(t)).toEqual([])
  })

  it('adds a unit (lead if the task has none) and never twice', () => {
    const node = findNode(tree(), 't3.1.2')
    setUnit(node, undefined, { code: 'fgj', name: '区发改局' })
    setUnit(node, undefined, { code: 'fgj', name: '区发改局' })
    expect(node.units).toEqual([{ written: '区发改局', code: 'fgj', name: '区发改局', role: 'lead', matched_by: 'manual' }])
  })

  it('moves the lead and removes a unit', () => {
    const node = findNode(tree(), 't3.1.1')
    makeLead(node, 1)
    expect(node.units.map((u) => u.role)).toEqual(['co', 'lead'])
    removeUnit(node, 0)
    expect(node.units.map((u) => u.written)).toEqual(['区某某局'])
  })
})

describe('unit groups', () => {
  it('folds the members of a collective name and keeps alias matches alone', () => {
    const units = [
      { written: '区商务局', code: 'swj', name: '区商务局', role: 'lead' },
      { written: '区发展和改革局', code: 'fgj', name: '区发改局', role: 'co' },
      { written: '各街道办事处', code: '420106001', name: '积玉桥街道', role: 'co' },
      { written: '各街道办事处', code: '420106002', name: '杨园街道', role: 'co' },
      { written: '区某某局', code: null, name: null, role: 'co' },
    ]
    const groups = unitGroups(units)
    expect(groups.map((g) => [g.written, g.items.map((i) => i.index)])).toEqual([
      [null, [0]],
      [null, [1]],
      ['各街道办事处', [2, 3]],
      [null, [4]],
    ])
  })
})

describe('newGoal', () => {
  it('gives a goal added in the preview a code the tasks service accepts, and a different one each time', () => {
    const a = newGoal()
    const b = newGoal()
    expect(a.metric).toMatch(/^[a-z][a-z0-9_]{1,49}$/)
    expect(a.metric).not.toBe(b.metric)
    expect(a).toMatchObject({ metric_name: '', comparison: 'at_least', target: '', unit: '' })
    expect(Object.keys(GOAL_COMPARISONS)).toEqual(['increase', 'at_least', 'at_most', 'equal'])
  })
})
