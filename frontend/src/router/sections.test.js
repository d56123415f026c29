import { describe, expect, it } from 'vitest'
import { SECTIONS, canOpen, visibleSections } from './sections.js'

const titles = (roles) => visibleSections(roles).map((s) => s.title)
const byName = (name) => SECTIONS.find((s) => s.name === name)

describe('menu by role', () => {
  it('gives an admin 管理 only: accounts, not business data (三员分立)', () => {
    expect(titles(['admin'])).toEqual(['管理'])
  })

  it('gives the registry readers 可用空间, and the importers 导入中心', () => {
    const work = ['任务', '督办', '扫楼', '招商线索', '企业诉求', '楼宇活动']
    expect(titles(['bureau'])).toEqual([
      '驾驶舱',
      '地图',
      '预警',
      '统计数据',
      '指标口径',
      '楼宇',
      '可用空间',
      '企业',
      ...work,
      '共享中心',
      '政策库',
      '工作简报',
      '代表视察',
      '总结验收',
      '办理情况报告',
      '绩效考核',
      '导入中心',
      '税收数据',
      '管理',
    ])
    expect(titles(['street'])).toEqual([
      '驾驶舱',
      '地图',
      '预警',
      '指标口径',
      '楼宇',
      '可用空间',
      '企业',
      ...work,
      '共享中心',
      '政策库',
      '代表视察',
      '总结验收',
      '绩效考核',
      '导入中心',
    ])
    expect(titles(['chief'])).toEqual(['驾驶舱', '地图', '指标口径', '楼宇', '可用空间', '企业', ...work, '政策库', '导入中心'])
    expect(titles(['leader'])).toEqual([
      '驾驶舱',
      '地图',
      '预警',
      '统计数据',
      '指标口径',
      '楼宇',
      '可用空间',
      '企业',
      ...work,
      '共享中心',
      '政策库',
      '工作简报',
      '代表视察',
      '总结验收',
      '办理情况报告',
      '绩效考核',
    ])
    expect(titles(['department'])).toEqual([
      '驾驶舱',
      '地图',
      '指标口径',
      '楼宇',
      '可用空间',
      '企业',
      ...work,
      '政策库',
      '代表视察',
      '总结验收',
      '绩效考核',
    ])
    // Auditors read the audit log (under 管理) only: no tasks, visits, leads or demands.
    expect(titles(['auditor'])).toEqual(['管理'])
  })

  it('leaves 管理 out for everyone but the admin, the bureau and the auditor', () => {
    for (const role of ['leader', 'department', 'street', 'chief']) {
      expect(titles([role])).not.toContain('管理')
    }
    expect(titles([])).not.toContain('管理')
  })

  it('keeps accounts and clients to the admin, the audit log to the auditor (三员分立)', () => {
    for (const name of ['admin-users', 'admin-clients']) {
      expect(canOpen(byName(name), ['admin'])).toBe(true)
      for (const role of ['auditor', 'bureau', 'leader']) expect(canOpen(byName(name), [role])).toBe(false)
      expect(byName(name)).toMatchObject({ menu: false, parent: 'admin' })
    }
    expect(canOpen(byName('admin-audit'), ['auditor'])).toBe(true)
    for (const role of ['admin', 'bureau', 'leader']) expect(canOpen(byName('admin-audit'), [role])).toBe(false)
    expect(byName('admin-audit')).toMatchObject({ menu: false, parent: 'admin' })
  })

  it('shows 管理 when admin is one of several roles', () => {
    expect(titles(['bureau', 'admin'])).toContain('管理')
  })

  it('gives every section a lazily loaded page', () => {
    for (const s of SECTIONS) expect(typeof s.load).toBe('function')
  })

  it('keeps sub-pages out of the menu but routable, under their parent', () => {
    for (const name of ['building', 'enterprise']) {
      const s = byName(name)
      expect(s.menu).toBe(false)
      expect(titles(['bureau'])).not.toContain(s.title)
      expect(canOpen(s, ['leader'])).toBe(true)
    }
    expect(byName('building').path).toBe('/buildings/:code')
    expect(byName('building').parent).toBe('buildings')
    expect(byName('enterprise').parent).toBe('enterprises')
  })

  it('gives 税收数据 (the facts upload) to the bureau only, and the street drill-down to metrics readers', () => {
    for (const role of ['leader', 'department', 'street', 'chief', 'admin', 'auditor']) {
      expect(canOpen(byName('metrics-facts'), [role])).toBe(false)
    }
    expect(canOpen(byName('metrics-facts'), ['bureau'])).toBe(true)
    expect(canOpen(byName('metrics-street'), ['leader'])).toBe(true)
    expect(canOpen(byName('metrics-street'), ['auditor'])).toBe(false)
    expect(canOpen(byName('metrics-theme'), ['street'])).toBe(true)
    expect(byName('cockpit').path).toBe('/dashboard')
    expect(byName('cockpit').menu).toBe(false)
  })

  it('refuses 导入中心 and 楼宇数据导入 to roles that cannot write', () => {
    expect(canOpen(byName('imports'), ['leader'])).toBe(false)
    expect(canOpen(byName('imports'), ['department'])).toBe(false)
    expect(canOpen(byName('imports'), ['chief'])).toBe(true)
    expect(canOpen(byName('imports'), ['bureau'])).toBe(true)
    expect(canOpen(byName('imports-registry'), ['department'])).toBe(false)
    expect(canOpen(byName('imports-registry'), ['street'])).toBe(true)
    expect(byName('imports-registry')).toMatchObject({ path: '/imports/registry', title: '楼宇数据导入', menu: false, parent: 'imports' })
  })

  it('keeps the unit directory, the rules and the 入驻申请 to the 区商务局, under 管理', () => {
    for (const name of ['admin-units', 'admin-rules', 'occupancy-proposals']) {
      expect(canOpen(byName(name), ['bureau'])).toBe(true)
      expect(canOpen(byName(name), ['admin'])).toBe(false)
      expect(canOpen(byName(name), ['street'])).toBe(false)
      expect(byName(name)).toMatchObject({ menu: false, parent: 'admin' })
    }
  })
})
