/**
 * The 扫楼 visit form as the phone keeps it (the draft's `payload`), and the body the tasks
 * service receives. Kept apart from the page so the mapping is tested on its own.
 */

/** As the tasks service names them (tasks.demands.schemas.Category). */
export const DEMAND_CATEGORIES = Object.freeze([
  { value: 'parking', label: '停车' },
  { value: 'permits', label: '审批证照' },
  { value: 'policy', label: '政策咨询' },
  { value: 'talent', label: '人才服务' },
  { value: 'property', label: '物业管理' },
  { value: 'finance', label: '融资金融' },
  { value: 'tax', label: '税务' },
  { value: 'other', label: '其他' },
])

export function today(now = new Date()) {
  const p = (n) => String(n).padStart(2, '0')
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`
}

export function emptyVisit(now) {
  return {
    visited_on: today(now),
    notes: '',
    // space id → the status seen now ('vacant' | 'leased'), only where it differs from the registry
    space_changes: {},
    arrivals: [],
    departures: [],
    leads: [],
    demands: [],
    photos: [],
    // 宣讲已送达: {policy_id, credit_code, enterprise_name} per enterprise told of a pushed policy
    policy_deliveries: [],
  }
}

/** A space as the phone shows it: the status the 楼长 saw, or the registry's. */
export function shownStatus(space, changes) {
  return changes[space.id] ?? space.status
}

/**
 * Toggle one space between 空置 and in use: in use is what the registry had (已租, 自用, 预留),
 * or 已租 for a space the registry had as vacant. Back to the registry's value drops the change.
 */
export function toggleSpace(changes, space) {
  const now = shownStatus(space, changes)
  return setSpace(changes, space, now === 'vacant' ? 'in_use' : 'vacant')
}

/** Set one space to 'vacant' or 'in_use' (see toggleSpace). */
export function setSpace(changes, space, to) {
  const next = to === 'vacant' ? 'vacant' : space.status !== 'vacant' ? space.status : 'leased'
  const out = { ...changes }
  if (next === space.status) delete out[space.id]
  else out[space.id] = next
  return out
}

/** A whole floor at once (整层空置 / 整层在用). */
export function setFloor(changes, spaces, to) {
  return spaces.reduce((acc, s) => setSpace(acc, s, to), changes)
}

/** Problems the phone can spot before sending: {key: message}, key like "demands.0.text". */
export function checkVisit(p) {
  const errors = {}
  if (!p.visited_on) errors.visited_on = '请填写走访日期'
  else if (p.visited_on > today()) errors.visited_on = '走访日期不能晚于今天'
  ;(p.arrivals || []).forEach((t, i) => {
    if ((t.name?.trim() || '').length < 2) errors[`arrivals.${i}.name`] = '请填写新入驻企业的名称'
  })
  ;(p.leads || []).forEach((l, i) => {
    if ((l.company?.trim() || '').length < 2) errors[`leads.${i}.company`] = '请填写意向企业名称'
    if (l.contact_phone && !/^[0-9+\-\s]{7,20}$/.test(l.contact_phone.trim())) errors[`leads.${i}.contact_phone`] = '联系电话格式不对'
    if (l.area_wanted !== '' && l.area_wanted != null && !(Number(l.area_wanted) > 0)) errors[`leads.${i}.area_wanted`] = '意向面积应为正数'
  })
  ;(p.demands || []).forEach((d, i) => {
    if ((d.enterprise_name?.trim() || '').length < 2) errors[`demands.${i}.enterprise_name`] = '请填写提出诉求的企业'
    if ((d.text?.trim() || '').length < 2) errors[`demands.${i}.text`] = '请写明诉求内容'
  })
  return errors
}

/** How many things the draft records (for the list of drafts and the submit button). */
export function countEntries(p = {}) {
  return (
    Object.keys(p.space_changes || {}).length +
    (p.arrivals?.length || 0) +
    (p.departures?.length || 0) +
    (p.leads?.length || 0) +
    (p.demands?.length || 0) +
    (p.photos?.length || 0) +
    (p.policy_deliveries?.length || 0) +
    (p.notes?.trim() ? 1 : 0)
  )
}

const clean = (v) => (typeof v === 'string' ? v.trim() || null : (v ?? null))

/** The body of POST /api/tasks/visits (tasks.visits.schemas.VisitCreate) for a draft. */
export function toVisitBody(draft) {
  const p = draft.payload || {}
  const tenant = (move) => (t) => ({
    move,
    enterprise_name: clean(t.name),
    credit_code: clean(t.credit_code),
    note: clean(t.note) || '',
  })
  return {
    client_ref: draft.id,
    building_code: draft.building_code,
    round_id: p.round_id ?? null,
    visit_date: p.visited_on || null,
    notes: clean(p.notes) || '',
    spaces: Object.entries(p.space_changes || {}).map(([id, status]) => ({ space_id: Number(id), status })),
    tenants: [...(p.arrivals || []).map(tenant('arrived')), ...(p.departures || []).map(tenant('left'))],
    leads: (p.leads || []).map((l) => ({
      company_name: clean(l.company),
      industry: clean(l.industry) || '',
      area_wanted: l.area_wanted === '' || l.area_wanted == null ? null : Number(l.area_wanted),
      contact_name: clean(l.contact_name) || '',
      contact_phone: clean(l.contact_phone),
      note: clean(l.note) || '',
    })),
    demands: (p.demands || []).map((d) => ({
      enterprise_name: clean(d.enterprise_name),
      credit_code: clean(d.credit_code),
      category: d.category || 'other',
      text: clean(d.text),
    })),
    ...(p.policy_deliveries?.length
      ? {
          policy_deliveries: p.policy_deliveries.map((d) => ({
            policy_id: d.policy_id,
            credit_code: clean(d.credit_code),
            enterprise_name: clean(d.enterprise_name),
          })),
        }
      : {}),
  }
}

/**
 * Where a server message about a field of the body belongs on the phone form:
 * "spaces.0.status" → "space_changes", "leads.1.company_name" → "leads.1.company",
 * "visit_date" → "visited_on"; "tenants.2.…" → the arrival or departure it came from.
 */
export function formKey(field, payload = {}) {
  const path = String(field || '').replace(/^body\./, '')
  const parts = path.split('.')
  if (parts[0] === 'visit_date') return 'visited_on'
  if (parts[0] === 'spaces') return 'space_changes'
  if (parts[0] === 'leads' && parts[2] === 'company_name') return `leads.${parts[1]}.company`
  if (parts[0] === 'tenants') {
    const i = Number(parts[1])
    const arrivals = payload.arrivals?.length || 0
    return i < arrivals ? `arrivals.${i}.name` : 'departures'
  }
  return path
}
