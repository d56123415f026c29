import { describe, expect, it } from 'vitest'
import { checkVisit, countEntries, emptyVisit, formKey, setFloor, toVisitBody, toggleSpace } from './visitForm.js'

const leased = { id: 1, status: 'leased' }
const vacant = { id: 2, status: 'vacant' }
const selfUse = { id: 3, status: 'self_use' }

describe('space toggles', () => {
  it('marks a leased space vacant, and back (no change left)', () => {
    const once = toggleSpace({}, leased)
    expect(once).toEqual({ 1: 'vacant' })
    expect(toggleSpace(once, leased)).toEqual({})
  })

  it('marks a vacant space leased; a self-used one returns to 自用, not 已租', () => {
    expect(toggleSpace({}, vacant)).toEqual({ 2: 'leased' })
    expect(toggleSpace(toggleSpace({}, selfUse), selfUse)).toEqual({})
  })

  it('sets a whole floor', () => {
    expect(setFloor({}, [leased, vacant, selfUse], 'vacant')).toEqual({ 1: 'vacant', 3: 'vacant' })
    expect(setFloor({ 1: 'vacant' }, [leased, vacant], 'in_use')).toEqual({ 2: 'leased' })
  })
})

describe('the visit body', () => {
  it('maps the phone form onto POST /api/tasks/visits', () => {
    const payload = {
      ...emptyVisit(new Date(2025, 5, 3)),
      notes: ' 物业配合 ',
      space_changes: { 12: 'vacant' },
      arrivals: [{ name: '武汉新来科技有限公司', credit_code: '', note: '' }],
      departures: [{ name: '老企业', credit_code: '91420106MA4KBR0W1X', note: '' }],
      leads: [{ company: '意向公司', industry: '软件', area_wanted: '300', contact_name: '王', contact_phone: '13800001234', note: '' }],
      demands: [{ enterprise_name: '某公司', credit_code: '', category: 'parking', text: '车位不够' }],
    }
    const body = toVisitBody({ id: 'draft-123456', building_code: 'B1', payload })
    expect(body).toEqual({
      client_ref: 'draft-123456',
      building_code: 'B1',
      round_id: null,
      visit_date: '2025-06-03',
      notes: '物业配合',
      spaces: [{ space_id: 12, status: 'vacant' }],
      tenants: [
        { move: 'arrived', enterprise_name: '武汉新来科技有限公司', credit_code: null, note: '' },
        { move: 'left', enterprise_name: '老企业', credit_code: '91420106MA4KBR0W1X', note: '' },
      ],
      leads: [{ company_name: '意向公司', industry: '软件', area_wanted: 300, contact_name: '王', contact_phone: '13800001234', note: '' }],
      demands: [{ enterprise_name: '某公司', credit_code: null, category: 'parking', text: '车位不够' }],
    })
  })

  it('counts what the draft records', () => {
    expect(countEntries(emptyVisit())).toBe(0)
    expect(countEntries({ ...emptyVisit(), space_changes: { 1: 'vacant' }, notes: 'x' })).toBe(2)
  })
})

describe('checks before sending', () => {
  it('names each missing piece by its place on the form', () => {
    const p = { ...emptyVisit(), leads: [{ company: '', contact_phone: 'abc' }], demands: [{ enterprise_name: '甲公司', text: '' }] }
    expect(checkVisit(p)).toEqual({
      'leads.0.company': '请填写意向企业名称',
      'leads.0.contact_phone': '联系电话格式不对',
      'demands.0.text': '请写明诉求内容',
    })
  })

  it('refuses a date in the future', () => {
    expect(checkVisit({ ...emptyVisit(), visited_on: '2999-01-01' }).visited_on).toBe('走访日期不能晚于今天')
  })

  it('places server messages on the phone form', () => {
    expect(formKey('body.visit_date')).toBe('visited_on')
    expect(formKey('spaces.0.status')).toBe('space_changes')
    expect(formKey('leads.1.company_name')).toBe('leads.1.company')
    expect(formKey('demands.0.text')).toBe('demands.0.text')
    expect(formKey('tenants.0.enterprise_name', { arrivals: [{}] })).toBe('arrivals.0.name')
    expect(formKey('tenants.1.credit_code', { arrivals: [{}] })).toBe('departures')
  })
})

describe('宣讲已送达', () => {
  it('sends the policies delivered on the visit, one entry per enterprise', () => {
    const payload = {
      ...emptyVisit(new Date(2025, 5, 1)),
      policy_deliveries: [{ policy_id: 3, credit_code: 'X1', enterprise_name: '某公司' }],
    }
    expect(countEntries(payload)).toBe(1)
    const body = toVisitBody({ id: 'draft-1', building_code: 'B1', payload })
    expect(body.policy_deliveries).toEqual([{ policy_id: 3, credit_code: 'X1', enterprise_name: '某公司' }])
  })
})
