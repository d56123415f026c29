/**
 * The four statuses of a space. Colour is never the only sign: every chip also says its
 * label. Text colours keep ≥ 4.5:1 contrast on their backgrounds.
 */
export const SPACE_STATUSES = Object.freeze([
  { value: 'vacant', label: '空置', color: '#9a3412', background: '#ffedd5', border: '#f97316' },
  { value: 'leased', label: '已租', color: '#166534', background: '#dcfce7', border: '#22c55e' },
  { value: 'self_use', label: '自用', color: '#1e3a8a', background: '#dbeafe', border: '#3b82f6' },
  { value: 'reserved', label: '预留', color: '#5b21b6', background: '#ede9fe', border: '#8b5cf6' },
])

export function spaceStatus(value) {
  return (
    SPACE_STATUSES.find((s) => s.value === value) || {
      value,
      label: value || '未知',
      color: '#374151',
      background: '#f3f4f6',
      border: '#9ca3af',
    }
  )
}

/**
 * Spaces grouped by floor, top floor first (as a building is drawn), units in order.
 * @returns {{floor: *, label: string, spaces: object[]}[]}
 */
export function spacesByFloor(spaces = []) {
  const groups = new Map()
  for (const s of spaces) {
    const key = s.floor ?? ''
    if (!groups.has(key)) groups.set(key, [])
    groups.get(key).push(s)
  }
  return [...groups.entries()]
    .sort(([a], [b]) => floorRank(b) - floorRank(a))
    .map(([floor, list]) => ({
      floor,
      label: floorLabel(floor),
      spaces: [...list].sort((x, y) => String(x.unit ?? '').localeCompare(String(y.unit ?? ''), 'zh-CN', { numeric: true })),
    }))
}

function floorRank(floor) {
  const n = Number(floor)
  if (Number.isFinite(n)) return n
  const m = /^B(\d+)$/i.exec(String(floor))
  return m ? -Number(m[1]) : -Infinity
}

/** 12 → "12层", -1 → "地下1层". */
export function floorLabel(floor) {
  if (floor === null || floor === undefined || floor === '') return '未注明楼层'
  const n = Number(floor)
  if (Number.isFinite(n)) return n < 0 ? `地下${-n}层` : `${n}层`
  return String(floor)
}
