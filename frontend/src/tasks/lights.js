/**
 * The task lights as the tasks service computes them (tasks.work.lights): green on track,
 * yellow near due or behind, red overdue. Colour is never the only sign: each says its label.
 */
export const LIGHTS = Object.freeze({
  green: { label: '正常', color: '#166534', background: '#dcfce7', type: 'success' },
  yellow: { label: '预警', color: '#854d0e', background: '#fef9c3', type: 'warning' },
  red: { label: '逾期', color: '#b42318', background: '#fee4e2', type: 'danger' },
  done: { label: '已完成', color: '#374151', background: '#f3f4f6', type: 'info' },
  none: { label: '无期限', color: '#374151', background: '#f3f4f6', type: 'info' },
})

export function lightOf(value) {
  return LIGHTS[value] || { label: value || '—', color: '#374151', background: '#f3f4f6', type: 'info' }
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
