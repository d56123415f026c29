import { describe, expect, it } from 'vitest'
import {
  ADMIN_GRANTABLE_ROLES,
  SCOPE_OPTIONS,
  managedOnServer,
  needsStreets,
  rolesProblem,
  scopeLabel,
  scopesLabel,
  userState,
} from './labels.js'

describe('scopes in Chinese', () => {
  it('names the two scopes a bureau system may hold and keeps an unknown code as is', () => {
    expect(scopeLabel('facts:write')).toBe('报送税收数据')
    expect(scopeLabel('stats:read')).toBe('读取统计汇总')
    expect(scopeLabel('x:y')).toBe('x:y')
    expect(scopesLabel(['facts:write', 'stats:read'])).toBe('报送税收数据、读取统计汇总')
    expect(SCOPE_OPTIONS.map((o) => o.value)).toEqual(['facts:write', 'stats:read'])
  })
})

describe('userState', () => {
  const now = new Date('2026-03-05T06:00:00Z')
  const active = { is_active: true, must_change_password: false, locked_until: null }

  it('says the most pressing state first', () => {
    expect(userState({ ...active, is_active: false, locked_until: '2026-03-05T07:00:00Z' }, now).label).toBe('已停用')
    expect(userState({ ...active, locked_until: '2026-03-05T07:00:00Z', must_change_password: true }, now)).toEqual({
      label: '已锁定',
      tone: 'danger',
    })
    expect(userState({ ...active, must_change_password: true }, now).label).toBe('待修改初始密码')
    expect(userState(active, now)).toEqual({ label: '正常', tone: 'success' })
  })

  it('forgets a lock that has run out', () => {
    expect(userState({ ...active, locked_until: '2026-03-05T05:59:00Z' }, now).label).toBe('正常')
  })
})

describe('roles', () => {
  it('asks for streets for street and chief users only', () => {
    expect(needsStreets(['street'])).toBe(true)
    expect(needsStreets(['chief', 'bureau'])).toBe(true)
    expect(needsStreets(['department'])).toBe(false)
  })

  it('refuses no role and admin with auditor (三员分立)', () => {
    expect(rolesProblem([])).toBe('请至少选择一个角色')
    expect(rolesProblem(['admin', 'auditor'])).toContain('三员分立')
    expect(rolesProblem(['admin'])).toBe('')
  })

  it('keeps 系统管理员 alone and never grants 安全审计员 (三员分立)', () => {
    expect(rolesProblem(['admin', 'bureau'])).toBe('系统管理员账号不能兼任其他角色（三员分立）')
    expect(rolesProblem(['auditor'])).toContain('命令行')
    expect(rolesProblem(['bureau', 'street'])).toBe('')
    expect(ADMIN_GRANTABLE_ROLES).not.toContain('auditor')
    expect(ADMIN_GRANTABLE_ROLES).toContain('admin')
  })

  it('leaves auditor accounts to the server command line', () => {
    expect(managedOnServer({ roles: ['auditor'] })).toBe(true)
    expect(managedOnServer({ roles: ['admin'] })).toBe(false)
    expect(managedOnServer(null)).toBe(false)
  })
})
