/** 楼宇活动: the kinds and invitee categories with their Chinese labels (the server's codes). */
export const EVENT_KINDS = Object.freeze([
  { value: 'gov_enterprise_forum', label: '政企座谈会' },
  { value: 'innovation_roundtable', label: '楼宇创新圆桌会' },
  { value: 'yangtze_council', label: '长江楼宇议事厅' },
  { value: 'promotion', label: '专场推介' },
  { value: 'bank_enterprise', label: '银企对接' },
  { value: 'policy_briefing', label: '政策宣讲' },
  { value: 'other', label: '其他活动' },
])

export const INVITEE_CATEGORIES = Object.freeze([
  { value: 'enterprise', label: '企业' },
  { value: 'deputy', label: '人大代表' },
  { value: 'member', label: '政协委员' },
  { value: 'bank', label: '银行' },
  { value: 'other', label: '其他' },
])

/** "2025-09" → the weeks (Monday first) of the month grid: each day {iso, day} or null. */
export function monthGrid(month) {
  const [year, mon] = month.split('-').map(Number)
  const days = new Date(Date.UTC(year, mon, 0)).getUTCDate()
  const firstWeekday = (new Date(Date.UTC(year, mon - 1, 1)).getUTCDay() + 6) % 7
  const cells = Array(firstWeekday).fill(null)
  const pad = (n) => String(n).padStart(2, '0')
  for (let d = 1; d <= days; d++) cells.push({ iso: `${year}-${pad(mon)}-${pad(d)}`, day: d })
  while (cells.length % 7) cells.push(null)
  const weeks = []
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7))
  return weeks
}

/** "2025-09" shifted by `delta` months → "2025-10". */
export function shiftMonth(month, delta) {
  const [year, mon] = month.split('-').map(Number)
  const index = year * 12 + (mon - 1) + delta
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
}

/** May this user record events? The bureau, or a street (for its own streets). */
export function canRecordEvents(user) {
  const roles = user?.roles ?? []
  return roles.includes('bureau') || roles.includes('street')
}
