import { listPlans } from '../tasks/api.js'

/** The plan 总结验收 and the report are about: the one named in the route, else the latest imported. */
export async function currentPlan(routePlanId) {
  const plans = (await listPlans({ page_size: 50 }))?.items ?? []
  if (routePlanId) return plans.find((p) => String(p.id) === String(routePlanId)) ?? { id: Number(routePlanId), title: '' }
  return plans.length ? plans.reduce((a, b) => (b.id > a.id ? b : a)) : null
}
