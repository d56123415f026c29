/**
 * The task lights as the tasks service computes them (tasks.work.lights): green on track,
 * yellow near due or behind, red overdue. Colour is never the only sign: each says its label.
 * The colours are the product's status tones (utils/tones.js): 正常 good, 预警 warn, 逾期 bad.
 */
import { tone } from '../utils/tones.js'

function light(label, toneName) {
  const t = tone(toneName)
  return Object.freeze({ label, tone: toneName, color: t.text, background: t.background, type: t.elType })
}

export const LIGHTS = Object.freeze({
  green: light('正常', 'good'),
  yellow: light('预警', 'warn'),
  red: light('逾期', 'bad'),
  done: light('已完成', 'neutral'),
  none: light('无期限', 'neutral'),
})

export function lightOf(value) {
  return LIGHTS[value] || light(value || '—', 'neutral')
}

/** The light to show: a finished task says 已完成 whatever its colour. */
export function shownLight(task) {
  return task?.status === 'done' ? 'done' : task?.light
}

/** Count of each light in a list of tasks (for the header of a plan or a unit's list). */
export function countLights(tasks = []) {
  const out = { green: 0, yellow: 0, red: 0, done: 0, none: 0 }
  for (const t of tasks) {
    const l = shownLight(t)
    if (l in out) out[l] += 1
  }
  return out
}

/** The API filter for a light chosen on screen (已完成 is a status, not a colour). */
export function lightQuery(light) {
  if (!light) return {}
  return light === 'done' ? { status: 'done' } : { light }
}
