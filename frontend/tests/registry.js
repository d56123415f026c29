import { jsonResponse } from './helpers.js'

/** Fake answers for the registry's reference endpoints, to merge into a fakeFetch route table. */
export function referenceRoutes({ demo = true } = {}) {
  return {
    'GET /api/registry/meta': () => jsonResponse(200, { demo_data: demo, district_code: '420106', district_name: '武昌区' }),
    'GET /api/registry/streets': () =>
      jsonResponse(200, [
        { code: '420106001', name: '积玉桥街道', district_code: '420106' },
        { code: '420106002', name: '杨园街道', district_code: '420106' },
      ]),
    'GET /api/registry/themes': () => jsonResponse(200, [{ code: 'finance', name: '金融', industry_prefixes: ['J'], description: '' }]),
    'GET /api/registry/enums': () =>
      jsonResponse(200, {
        stage: [
          { value: 'under_construction', label: '在建' },
          { value: 'new', label: '新建成' },
          { value: 'operating', label: '存量' },
        ],
        ownership: [{ value: 'single', label: '自持' }],
        space_status: [],
        hq_level: [{ value: 'regional', label: '区域总部' }],
      }),
    'GET /api/registry/industries': () => jsonResponse(200, [{ code: '64', name: '互联网和相关服务', level: 'division', section: 'I' }]),
  }
}

/** A building as GET /buildings/{code} returns it. */
export function buildingBody(overrides = {}) {
  return {
    code: '420106-0007',
    name: '中交大厦',
    aliases: ['武汉中交大厦'],
    street_code: '420106001',
    street_name: '积玉桥街道',
    address: '和平大道1号',
    lng: 114.3,
    lat: 30.5,
    gfa: 44800,
    leasable_area: 30000.5,
    floors_above: 30,
    floors_below: 3,
    stage: 'operating',
    stage_label: '存量',
    ownership: 'single',
    ownership_label: '自持',
    owner: '',
    operator: '',
    property_manager: '',
    property_star: 4,
    zone: '滨江商务区',
    themes: ['finance'],
    completion_year: 2015,
    chief_username: 'chief01',
    chief_name: '王楼长',
    chief_phone: '138****1234',
    liaison_username: null,
    liaison_name: '',
    liaison_phone: null,
    note: '',
    is_demo: false,
    version: 3,
    created_at: '2025-03-05T02:00:00Z',
    updated_at: '2025-03-06T02:00:00Z',
    vacancy: {
      units: 2,
      vacant_units: 1,
      total_area: 1000,
      vacant_area: 400,
      leased_area: 600,
      self_use_area: 0,
      reserved_area: 0,
      occupancy_rate: 0.02,
    },
    can_edit: true,
    ...overrides,
  }
}
