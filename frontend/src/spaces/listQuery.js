/** The available-space listing's filters and page, as kept in the address bar. */
export const AVAILABLE_LIST = Object.freeze({
  street: 'string',
  building: 'string',
  theme: 'string',
  area_min: 'number',
  area_max: 'number',
  available_before: 'string',
  page: ['int', 1],
  page_size: ['int', 20],
})

export const AVAILABLE_FILTERS = Object.freeze(['street', 'building', 'theme', 'area_min', 'area_max', 'available_before'])
