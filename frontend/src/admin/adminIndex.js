import { SECTIONS, canOpen } from '../router/sections.js'

/** One sentence per page of 管理, saying what a clerk does there. */
export const ADMIN_DESCRIPTIONS = Object.freeze({
  'admin-users': '新建和停用账号，分配角色、所属单位和负责街道，重置密码、解除锁定。',
  'admin-clients': '为税务局、统计局等单位的系统开通接口，发放、更换或吊销客户端密钥。',
  'admin-audit': '查询登录、账号变更、数据导出等操作记录，可按条件导出。',
  'admin-units': '维护责任单位目录及其简称、别名，导入工作方案时据此识别单位。',
  'admin-rules': '设置特色楼宇的认定规则和税收、空置等预警阈值。',
  'occupancy-proposals': '街道申请把其他街道的企业迁入本街道楼宇：逐条确认（生成入驻记录）或驳回。',
  imports: '楼宇、企业、税收数据和工作方案的导入集中在此办理，可查看历次导入记录。',
})

/** Pages of 管理 besides its own sub-pages: the 导入中心 for the commerce bureau. */
const ALSO = Object.freeze({ imports: ['bureau'] })

/**
 * The cards of the 管理 index for a user holding `roles`: every sub-page of 管理 they may
 * open, then the 导入中心 for the commerce bureau.
 * @returns {{name: string, path: string, title: string, description: string}[]}
 */
export function adminCards(roles = [], sections = SECTIONS) {
  const own = sections.filter((s) => s.parent === 'admin' && canOpen(s, roles))
  const also = sections.filter((s) => ALSO[s.name] && ALSO[s.name].some((r) => roles.includes(r)) && canOpen(s, roles))
  return [...own, ...also].map((s) => ({
    name: s.name,
    path: s.path,
    title: s.title,
    description: ADMIN_DESCRIPTIONS[s.name] || '',
  }))
}
