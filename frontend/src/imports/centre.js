import { IMPORTERS } from '../auth/permissions.js'
import { FACTS_UPLOADERS } from '../metrics/permissions.js'

/**
 * What can be imported, and by whom: the cards of the import centre. `template` names the
 * template download (registry kinds, 税收数据); 工作方案 is pasted as text, it has none.
 * `history` is the source of the kind's records in the combined history (history.js).
 */
export const IMPORT_CARDS = Object.freeze([
  {
    key: 'buildings',
    title: '楼宇',
    description: '楼宇基本信息：名称、地址、街道、建筑面积、产权及物业单位等。',
    roles: IMPORTERS,
    template: 'registry',
    to: { name: 'imports-registry', query: { kind: 'buildings' } },
    history: 'registry',
  },
  {
    key: 'spaces',
    title: '房源',
    description: '楼宇内的房间、楼层、面积、状态和报价租金。',
    roles: IMPORTERS,
    template: 'registry',
    to: { name: 'imports-registry', query: { kind: 'spaces' } },
    history: 'registry',
  },
  {
    key: 'enterprises',
    title: '企业',
    description: '企业名录：统一社会信用代码、名称、行业代码、是否在册。',
    roles: IMPORTERS,
    template: 'registry',
    to: { name: 'imports-registry', query: { kind: 'enterprises' } },
    history: 'registry',
  },
  {
    key: 'occupancies',
    title: '入驻',
    description: '企业入驻楼宇、房间的记录及入驻、迁出日期。',
    roles: IMPORTERS,
    template: 'registry',
    to: { name: 'imports-registry', query: { kind: 'occupancies' } },
    history: 'registry',
  },
  {
    key: 'facts',
    title: '税收数据',
    description: '税务局、统计局提供的企业税收、营业收入、从业人员数据。',
    roles: FACTS_UPLOADERS,
    template: 'facts',
    to: { name: 'metrics-facts' },
    history: 'facts',
  },
  {
    key: 'plans',
    title: '工作方案',
    description: '区里印发的工作方案原文：自动拆分任务、识别主办和协办单位。粘贴文本即可，无需模板。',
    roles: ['bureau'],
    template: null,
    to: { name: 'plan-import' },
    history: 'plans',
  },
])

const mayUse = (card, roles) => card.roles.some((r) => roles.includes(r))

/** The cards a user holding `roles` may use. */
export function cardsFor(roles = []) {
  return IMPORT_CARDS.filter((card) => mayUse(card, roles))
}

/** The history sources a user holding `roles` may read (each once, in the cards' order). */
export function historySourcesFor(roles = []) {
  return [...new Set(cardsFor(roles).map((card) => card.history))]
}
