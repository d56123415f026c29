import { formatAreaExact } from '../utils/format.js'

/** The area input's placeholder: left empty, the area is that of the spaces picked (their ids). */
export function areaHint(spaces, picked) {
  const area = spaces.filter((s) => picked.includes(s.id)).reduce((sum, s) => sum + (Number(s.area) || 0), 0)
  return area ? `不填则为 ${formatAreaExact(area)}` : '未选房源时必填'
}
