/** The enterprise list's filters and page, as kept in the address bar (see utils/listQuery.js). */
export const ENTERPRISE_LIST = Object.freeze({
  q: 'string',
  industry: 'string',
  street: 'string',
  building: 'string',
  registered: 'bool',
  taxed: 'bool',
  in_statistics: 'bool',
  above_scale: 'bool',
  page: ['int', 1],
  page_size: ['int', 20],
})

export const ENTERPRISE_FILTERS = Object.freeze(['industry', 'street', 'building', 'registered', 'taxed', 'in_statistics', 'above_scale'])

/** The four yes/no facts, with the words a clerk uses. */
export const ENTERPRISE_FLAGS = Object.freeze([
  { key: 'registered', field: 'registered_in_district', label: '在册', yes: '在册', no: '不在册' },
  { key: 'taxed', field: 'taxed_in_district', label: '在税', yes: '在税', no: '不在税' },
  { key: 'in_statistics', field: 'in_statistics', label: '纳统', yes: '已纳统', no: '未纳统' },
  { key: 'above_scale', field: 'above_scale', label: '规上', yes: '规上', no: '规下' },
])
