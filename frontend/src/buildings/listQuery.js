/** The building list's filters, sort and page, as kept in the address bar (see utils/listQuery.js). */
export const BUILDING_LIST = Object.freeze({
  q: 'string',
  street: 'string',
  stage: 'string',
  theme: 'string',
  zone: 'string',
  chief: 'string',
  area_min: 'number',
  area_max: 'number',
  sort: 'string',
  page: ['int', 1],
  page_size: ['int', 20],
})

/** The filters folded behind "筛选" on a phone (the search box shows always). */
export const BUILDING_FILTERS = Object.freeze(['street', 'stage', 'theme', 'zone', 'chief', 'area_min', 'area_max'])

export const BUILDING_SORTS = Object.freeze([
  { value: 'name', label: '名称' },
  { value: 'code', label: '楼宇编码' },
  { value: '-gfa', label: '建筑面积从大到小' },
  { value: 'gfa', label: '建筑面积从小到大' },
  { value: '-vacancy_rate', label: '空置率从高到低' },
  { value: 'vacancy_rate', label: '空置率从低到高' },
])
