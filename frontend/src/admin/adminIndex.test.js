import { describe, expect, it } from 'vitest'
import { adminCards } from './adminIndex.js'

const SECTIONS = [
  { name: 'admin', path: '/admin', title: '管理', roles: ['admin', 'bureau', 'auditor'] },
  { name: 'admin-users', path: '/admin/users', title: '账号与角色', roles: ['admin'], menu: false, parent: 'admin' },
  { name: 'admin-clients', path: '/admin/clients', title: '机器客户端', roles: ['admin'], menu: false, parent: 'admin' },
  { name: 'admin-audit', path: '/admin/audit', title: '审计日志', roles: ['auditor'], menu: false, parent: 'admin' },
  { name: 'admin-units', path: '/admin/units', title: '单位目录', roles: ['bureau'], menu: false, parent: 'admin' },
  { name: 'imports', path: '/imports', title: '导入中心', roles: ['bureau', 'street', 'chief'] },
  { name: 'buildings', path: '/buildings', title: '楼宇' },
]
const names = (roles) => adminCards(roles, SECTIONS).map((c) => c.name)

describe('adminCards (三员分立: each role its own pages)', () => {
  it('gives the administrator accounts and clients, not the audit log', () => {
    expect(names(['admin'])).toEqual(['admin-users', 'admin-clients'])
  })

  it('gives the auditor the audit log only', () => {
    expect(names(['auditor'])).toEqual(['admin-audit'])
  })

  it('gives the commerce bureau its configuration and the 导入中心', () => {
    expect(names(['bureau'])).toEqual(['admin-units', 'imports'])
  })

  it('gives a street user nothing (the 导入中心 is in their menu already)', () => {
    expect(names(['street'])).toEqual([])
  })

  it('describes every card in a sentence', () => {
    for (const card of adminCards(['admin', 'bureau'], SECTIONS)) {
      expect(card.description).toMatch(/。$/)
      expect(card.title).toBeTruthy()
    }
  })

  it('lists the real sections', () => {
    expect(adminCards(['admin']).map((c) => c.path)).toEqual(['/admin/users', '/admin/clients'])
    expect(adminCards(['auditor']).map((c) => c.title)).toEqual(['审计日志'])
  })
})
