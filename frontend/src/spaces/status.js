/**
 * The four statuses of a space. Colour is never the only sign: every chip also says its
 * label. The colours are the product's status tones (utils/tones.js): 空置 warn, 已租 good,
 * 自用 info, 预留 accent; text keeps ≥ 4.5:1 contrast on its background.
 */
import { tone } from '../utils/tones.js'

function status(value, label, toneName) {
  const t = tone(toneName)
  return Object.freeze({ value, label, tone: toneName, color: t.text, background: t.background, border: t.fill })
}

export const SPACE_STATUSES = Object.freeze([
  status('vacant', '空置', 'warn'),
  status('leased', '已租', 'good'),
  status('self_use', '自用', 'info'),
  status('reserved', '预留', 'accent'),
])

export function spaceStatus(value) {
  return SPACE_STATUSES.find((s) => s.value === value) || status(value, value || '未知', 'neutral')
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
