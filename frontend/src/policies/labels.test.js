import { describe, expect, it } from 'vitest'
import { appStatus, managesPolicies, targetsText } from './labels.js'

describe('policy labels', () => {
  it('names statuses in Chinese, never the code', () => {
    expect(appStatus('paid').label).toBe('已兑现')
    expect(appStatus('odd').label).toBe('未知状态')
  })
  it('says what a policy targets', () => {
    expect(targetsText({ industry_labels: ['65 软件和信息技术服务业'], min_employees: 20 })).toBe(
      '行业：65 软件和信息技术服务业；从业人数不少于20人',
    )
    expect(targetsText({})).toBe('普惠（面向全部企业）')
  })
  it('lets the bureau and the 科创人才中心 manage', () => {
    expect(managesPolicies({ roles: ['bureau'] })).toBe(true)
    expect(managesPolicies({ roles: ['department'], org_unit: 'kcrc' })).toBe(true)
    expect(managesPolicies({ roles: ['department'], org_unit: 'fgj' })).toBe(false)
    expect(managesPolicies({ roles: ['street'] })).toBe(false)
  })
})
