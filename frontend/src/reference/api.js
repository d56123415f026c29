import { get } from '../api/http.js'

/** Reference data of the registry: the district, its streets, industries, themes, labels. */
const BASE = '/api/registry'

/** GET /meta → {demo_data, district_code, district_name} */
export function fetchMeta() {
  return get(`${BASE}/meta`)
}

/** GET /streets → [{code, name}] */
export function fetchStreets() {
  return get(`${BASE}/streets`)
}

/** GET /industries?level=&q= → [{code, name, level, section}] (GB/T 4754-2017) */
export function fetchIndustries({ level, q } = {}) {
  return get(`${BASE}/industries`, { query: { level, q } })
}

/** GET /themes → [{code, name, industry_prefixes, description}] */
export function fetchThemes() {
  return get(`${BASE}/themes`)
}

/** GET /enums → {stage: [{value, label}], ownership: […], …}: the Chinese labels of coded fields. */
export function fetchEnums() {
  return get(`${BASE}/enums`)
}
