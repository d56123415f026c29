import { describe, expect, it } from 'vitest'
import {
  canCreateBuilding,
  canDelete,
  canEditBuilding,
  canImport,
  canReadRegistry,
  canRevealPhones,
  canWriteEnterprise,
} from './permissions.js'

const user = (roles, extra = {}) => ({ username: 'u1', roles, street_codes: [], ...extra })
const building = { code: '420106-0001', street_code: '420106001', chief_username: 'chief01', liaison_username: 'li01' }

describe('registry permissions (hide what a role cannot use)', () => {
  it('lets the bureau do everything, leaders and departments only read', () => {
    expect(canCreateBuilding(user(['bureau']))).toBe(true)
    expect(canEditBuilding(user(['bureau']), building)).toBe(true)
    expect(canDelete(user(['bureau']))).toBe(true)
    for (const role of ['leader', 'department']) {
      expect(canReadRegistry(user([role]))).toBe(true)
      expect(canCreateBuilding(user([role]))).toBe(false)
      expect(canEditBuilding(user([role]), building)).toBe(false)
      expect(canWriteEnterprise(user([role]))).toBe(false)
      expect(canImport(user([role]))).toBe(false)
    }
  })

  it('lets a street user write the buildings of their own street only', () => {
    const street = user(['street'], { street_codes: ['420106001'] })
    expect(canCreateBuilding(street)).toBe(true)
    expect(canEditBuilding(street, building)).toBe(true)
    expect(canEditBuilding(street, { ...building, street_code: '420106002' })).toBe(false)
    expect(canDelete(street)).toBe(false)
  })

  it('lets a chief edit the buildings they are chief or liaison of, and create none', () => {
    expect(canEditBuilding(user(['chief'], { username: 'chief01' }), building)).toBe(true)
    expect(canEditBuilding(user(['chief'], { username: 'li01' }), building)).toBe(true)
    expect(canEditBuilding(user(['chief'], { username: 'other' }), building)).toBe(false)
    expect(canCreateBuilding(user(['chief']))).toBe(false)
  })

  it("follows the server's can_edit when the record carries it", () => {
    expect(canEditBuilding(user(['bureau']), { ...building, can_edit: false })).toBe(false)
    expect(canWriteEnterprise(user(['chief']), { can_edit: false })).toBe(false)
    expect(canWriteEnterprise(user(['chief']))).toBe(true)
  })

  it('keeps admins, auditors and departments away from what they may not see', () => {
    expect(canReadRegistry(user(['admin']))).toBe(false)
    expect(canReadRegistry(user(['auditor']))).toBe(false)
    expect(canRevealPhones(user(['department']))).toBe(false)
    expect(canRevealPhones(user(['leader']))).toBe(true)
  })
})

describe('canSeeEnterpriseTax', () => {
  it('is for the roles metrics lets read enterprise tax, never admin or auditor', async () => {
    const { canSeeEnterpriseTax } = await import('./permissions.js')
    for (const role of ['leader', 'bureau', 'department', 'street', 'chief']) expect(canSeeEnterpriseTax({ roles: [role] })).toBe(true)
    for (const role of ['admin', 'auditor']) expect(canSeeEnterpriseTax({ roles: [role] })).toBe(false)
    expect(canSeeEnterpriseTax(null)).toBe(false)
  })
})
