import { describe, expect, it } from 'vitest'
import { demandActions } from './status.js'

const bureau = { username: 'b', roles: ['bureau'] }
const dept = { username: 'd', roles: ['department'] }
const chief = { username: 'c', roles: ['chief'] }

describe('the steps offered on a demand', () => {
  it('lets the bureau assign a new demand, and the department nothing yet', () => {
    const d = { status: 'submitted', unit_code: null, created_by: 'c' }
    expect(demandActions(d, bureau)).toEqual(['assign'])
    expect(demandActions(d, dept)).toEqual([])
  })

  it('lets the assigned department start and answer; the bureau may reassign', () => {
    const d = { status: 'assigned', unit_code: 'fgj', created_by: 'c' }
    expect(demandActions(d, dept)).toEqual(['start', 'answer'])
    expect(demandActions(d, bureau)).toEqual(['assign'])
  })

  it('after an answer: close (with satisfaction) or reopen, also by the 楼长 who recorded it', () => {
    const d = { status: 'answered', unit_code: 'fgj', created_by: 'c' }
    expect(demandActions(d, bureau)).toEqual(['close', 'reopen'])
    expect(demandActions(d, chief)).toEqual(['close', 'reopen'])
    expect(demandActions({ ...d, created_by: 'other' }, chief)).toEqual([])
  })

  it('a closed demand can only be reopened; a reopened one goes back to the unit', () => {
    expect(demandActions({ status: 'closed', unit_code: 'fgj', created_by: 'c' }, bureau)).toEqual(['reopen'])
    expect(demandActions({ status: 'reopened', unit_code: 'fgj', created_by: 'c' }, dept)).toEqual(['start', 'answer'])
  })
})
