/**
 * The metrics contract fixtures: real answers recorded from a seeded test database by
 * `python -m tests.contract.record` (tests/contract/fixtures/*.json). The same files are
 * validated against the services' response models by tests/contract/test_contract.py, so a
 * renamed field fails there and in the SPA's readers here.
 */
import building from '../../../tests/contract/fixtures/building.json'
import buildingEnterprises from '../../../tests/contract/fixtures/building_enterprises.json'
import dashboard from '../../../tests/contract/fixtures/dashboard.json'
import definitions from '../../../tests/contract/fixtures/definitions.json'
import kpisBuilding from '../../../tests/contract/fixtures/kpis_building.json'
import kpisDistrict from '../../../tests/contract/fixtures/kpis_district.json'
import map from '../../../tests/contract/fixtures/map.json'
import rankings from '../../../tests/contract/fixtures/rankings.json'
import streets from '../../../tests/contract/fixtures/streets.json'
import tiers from '../../../tests/contract/fixtures/tiers.json'

/** A deep copy (tests may change an answer). */
const copy = (v) => JSON.parse(JSON.stringify(v))

export const fixtures = {
  building: () => copy(building),
  buildingEnterprises: () => copy(buildingEnterprises),
  dashboard: () => copy(dashboard),
  definitions: () => copy(definitions),
  kpisBuilding: () => copy(kpisBuilding),
  kpisDistrict: () => copy(kpisDistrict),
  map: () => copy(map),
  rankings: () => copy(rankings),
  streets: () => copy(streets),
  tiers: () => copy(tiers),
}

/** Paths of `undefined` values in a shaped result (a reader that looked for a field the answer lacks). */
export function undefinedPaths(value, path = '$') {
  if (value === undefined) return [path]
  if (Array.isArray(value)) return value.flatMap((v, i) => undefinedPaths(v, `${path}[${i}]`))
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => undefinedPaths(v, `${path}.${k}`))
  return []
}
