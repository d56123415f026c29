import { get } from '../api/http.js'

/**
 * The map's two calls: its data from metrics (one call for everything shown) and the
 * deployer's tile settings from the gateway (none by default: the map then draws the
 * district outline only and requests nothing from another host).
 */

/**
 * GET /api/metrics/map?year=&street=&on= → {year, years, period, stock_month, figures_on, street, streets,
 * themes, tiers, buildings (with lng/lat), unplaced (no coordinates), total, outline (GeoJSON)}.
 */
export function getMap({ year, street } = {}) {
  return get('/api/metrics/map', { query: { year: year || undefined, street: street || undefined } })
}

/** GET /api/auth/ui-config → {map: {enabled, tile_url, label_url, subdomains, attribution}}. */
export function getUiConfig() {
  return get('/api/auth/ui-config')
}
