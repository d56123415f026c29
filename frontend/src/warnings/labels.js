/** How the 预警 page names the codes it receives (never an English code on screen). */
// `tag`: the tone of the tag (the app's tones in styles/main.css are checked for contrast).
export const LEVELS = Object.freeze([
  { value: 'severe', label: '严重', tag: 'danger' },
  { value: 'major', label: '较重', tag: 'warning' },
  { value: 'minor', label: '一般', tag: 'info' },
])

export const STATES = Object.freeze([
  { value: 'active', label: '有效' },
  { value: 'resolved', label: '已解除' },
  { value: 'all', label: '全部' },
])

export const NOTE_KINDS = Object.freeze([
  { value: 'viewed', label: '已查看' },
  { value: 'handling', label: '处置中' },
  { value: 'handled', label: '已处置' },
  { value: 'note', label: '备注' },
])

export function levelOf(code) {
  return LEVELS.find((l) => l.value === code) || LEVELS[2]
}

/** The state filter as the API's `active` (true, false, or absent for all). */
export function activeParam(state) {
  if (state === 'active') return true
  if (state === 'resolved') return false
  return undefined
}

/** Who may write 处置 notes: the bureau (all) and a street (its own); the leader reads. */
export function mayNote(roles = []) {
  return roles.includes('bureau') || roles.includes('street')
}
