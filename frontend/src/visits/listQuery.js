/** The visit list's filters and page, as kept in the address bar. */
export const VISIT_LIST = Object.freeze({
  round_id: 'string',
  street: 'string',
  building: 'string',
  date_from: 'string',
  date_to: 'string',
  page: ['int', 1],
  page_size: ['int', 20],
})
export const VISIT_FILTERS = Object.freeze(['round_id', 'street', 'building', 'date_from', 'date_to'])
