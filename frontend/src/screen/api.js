import { get } from '../api/http.js'

/**
 * The 大屏's calls, all to this origin: the cockpit's one answer, the map, the warning counts
 * by severity, the oversight's 待办 counts, and the deployer's screen settings.
 */

/** GET /api/metrics/dashboard → cards, goals, tax_by_street, monthly_trend, warnings (most severe first), as_of. */
export function getScreenDashboard() {
  return get('/api/metrics/dashboard')
}

/** GET /api/metrics/map → buildings with coordinates, the outline, themes. */
export function getScreenMap() {
  return get('/api/metrics/map')
}

/** GET /api/metrics/warnings/levels → {severe, major, minor} active warnings. */
export function getWarningLevels() {
  return get('/api/metrics/warnings/levels')
}

/** GET /api/tasks/screen/todo → 督办 open/responded/overdue, 整改意见 open/overdue/closed. */
export function getTodo() {
  return get('/api/tasks/screen/todo')
}

/** GET /api/auth/ui-config → {map, screen: {district_name, title, refresh_seconds}}. */
export function getScreenConfig() {
  return get('/api/auth/ui-config')
}
