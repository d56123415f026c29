import { describe, expect, it } from 'vitest'
import { SECTIONS, visibleSections } from './sections.js'

const titles = (roles) => visibleSections(roles).map((s) => s.title)

describe('menu by role', () => {
  it('lists the six sections in order for an admin', () => {
    expect(titles(['admin'])).toEqual(['驾驶舱', '楼宇', '企业', '任务', '扫楼', '管理'])
  })

  it('leaves 管理 out for everyone else', () => {
    for (const role of ['auditor', 'leader', 'bureau', 'department', 'street', 'chief']) {
      expect(titles([role])).toEqual(['驾驶舱', '楼宇', '企业', '任务', '扫楼'])
    }
    expect(titles([])).not.toContain('管理')
  })

  it('shows 管理 when admin is one of several roles', () => {
    expect(titles(['bureau', 'admin'])).toContain('管理')
  })

  it('gives every section a lazily loaded page', () => {
    for (const s of SECTIONS) expect(typeof s.load).toBe('function')
  })
})
