import { describe, expect, it } from 'vitest'
import {
  MAX_QUERY_LENGTH,
  emptyText,
  flatten,
  highlightParts,
  isSearchShortcut,
  looksLikeCode,
  moreRow,
  moveActive,
  prefixParts,
  readQuery,
  searchGroups,
  SEARCH_GROUPS,
  toRows,
} from './search.js'

const marked = (parts) => parts.map((p) => (p.hit ? `[${p.text}]` : p.text)).join('')
const group = (key) => SEARCH_GROUPS.find((g) => g.key === key)

describe('searchGroups', () => {
  it('offers every source to the roles that read the registry and the tasks', () => {
    for (const role of ['leader', 'bureau', 'department', 'street', 'chief']) {
      expect(searchGroups({ roles: [role] }).map((g) => g.key)).toEqual(['buildings', 'enterprises', 'tasks', 'units'])
    }
  })

  it('offers nothing to the administrator, the auditor or nobody', () => {
    expect(searchGroups({ roles: ['admin'] })).toEqual([])
    expect(searchGroups({ roles: ['auditor'] })).toEqual([])
    expect(searchGroups(null)).toEqual([])
  })
})

describe('readQuery', () => {
  it('trims and collapses spaces', () => {
    expect(readQuery('  中交   大厦 ').q).toBe('中交 大厦')
  })

  it('needs two characters for a name, one for a code', () => {
    expect(readQuery('楼')).toMatchObject({ searchable: false, hint: expect.stringContaining('2 个字') })
    expect(readQuery('a')).toMatchObject({ searchable: false })
    expect(readQuery('中交')).toMatchObject({ searchable: true, hint: '' })
    expect(readQuery('9')).toMatchObject({ searchable: true })
    expect(readQuery('91420106MA4K00001X')).toMatchObject({ searchable: true })
  })

  it('counts characters, not UTF-16 units, and cuts at the services’ limit', () => {
    expect(readQuery('𠀀').searchable).toBe(false)
    expect([...readQuery('楼'.repeat(150)).q]).toHaveLength(MAX_QUERY_LENGTH)
  })

  it('is empty for blanks', () => {
    expect(readQuery('   ')).toEqual({ q: '', searchable: false, hint: '' })
    expect(readQuery(undefined).q).toBe('')
  })
})

describe('looksLikeCode', () => {
  it('is latin letters and digits with a digit', () => {
    expect(looksLikeCode('91420106')).toBe(true)
    expect(looksLikeCode('91420106ma4k')).toBe(true)
    expect(looksLikeCode('abc')).toBe(false)
    expect(looksLikeCode('中交1')).toBe(false)
    expect(looksLikeCode('420106-0001')).toBe(false)
  })
})

describe('highlightParts', () => {
  it('marks every match, ignoring case', () => {
    expect(marked(highlightParts('Wuhan ABC 咨询 abc', 'abc'))).toBe('Wuhan [ABC] 咨询 [abc]')
    expect(marked(highlightParts('武汉·中交大厦', '中交'))).toBe('武汉·[中交]大厦')
  })

  it('leaves text without a match whole, and markup as text', () => {
    expect(highlightParts('<b>楼</b>', '大厦')).toEqual([{ text: '<b>楼</b>', hit: false }])
    expect(marked(highlightParts('<img src=x onerror=1>', 'img'))).toBe('<[img] src=x onerror=1>')
  })

  it('matches exactly where lower-casing would shift the cut', () => {
    expect(marked(highlightParts('İstanbul 大厦', '大厦'))).toBe('İstanbul [大厦]')
  })

  it('gives nothing for nothing', () => {
    expect(highlightParts('', 'a')).toEqual([])
    expect(highlightParts('楼宇', '')).toEqual([{ text: '楼宇', hit: false }])
  })
})

describe('prefixParts', () => {
  it('marks the beginning of a credit code typed in lower case or with spaces', () => {
    expect(marked(prefixParts('91420106MA4K00001X', '91420106 ma4k'))).toBe('[91420106MA4K]00001X')
    expect(marked(prefixParts('91420106MA4K00001X', '91420106MA4K00001X'))).toBe('[91420106MA4K00001X]')
  })
})

describe('toRows', () => {
  it('building: name marked, the alias that matched, the street, and its page', () => {
    const answer = { items: [{ code: '420106-0003', name: '中交大厦', aliases: ['武汉·中交大厦'], street_name: '积玉桥街道' }] }
    const [row] = toRows('buildings', answer, '中交')
    expect(marked(row.title)).toBe('[中交]大厦')
    expect(marked(row.note)).toBe('积玉桥街道 · 420106-0003')
    expect(row.to).toEqual({ name: 'building', params: { code: '420106-0003' } })

    const [byAlias] = toRows(
      'buildings',
      { items: [{ code: 'b1', name: '阿里中心', aliases: ['阿里巴巴华中总部'], street_name: '徐家棚街道' }] },
      '华中总部',
    )
    expect(marked(byAlias.note)).toBe('别名：阿里巴巴[华中总部] · 徐家棚街道 · b1')

    const [byCode] = toRows(
      'buildings',
      { items: [{ code: '420106-0003', name: '中交大厦', aliases: [], street_name: '积玉桥街道' }] },
      '420106-0003',
    )
    expect(marked(byCode.note)).toBe('积玉桥街道 · [420106-0003]')
  })

  it('enterprise: the credit code prefix marked, where it sits, its page', () => {
    const e = {
      credit_code: '91420106MA4K00001X',
      name: '（演示）武汉鼎盛科技有限公司',
      current_buildings: [{ code: 'b', name: '中交大厦' }],
    }
    const [byCode] = toRows('enterprises', { items: [e] }, '91420106ma4k')
    expect(marked(byCode.note)).toBe('[91420106MA4K]00001X · 中交大厦')
    expect(byCode.to).toEqual({ name: 'enterprise', params: { creditCode: '91420106MA4K00001X' } })
    const [byName] = toRows('enterprises', { items: [e] }, '鼎盛')
    expect(marked(byName.title)).toBe('（演示）武汉[鼎盛]科技有限公司')
    expect(marked(byName.note)).toBe('91420106MA4K00001X · 中交大厦')
  })

  it('task: the title marked, number, lead unit and due date, its page', () => {
    const t = { id: 12, number: '（三）', title: '楼宇招商专项行动', lead_unit_name: '区商务局', due_date: '2025-06-30' }
    const [row] = toRows('tasks', { items: [t] }, '招商')
    expect(marked(row.title)).toBe('楼宇[招商]专项行动')
    expect(marked(row.note)).toBe('（三） · 牵头：区商务局 · 完成时限 2025年6月30日')
    expect(row.to).toEqual({ name: 'task', params: { id: '12' } })
  })

  it('unit: its kind, an alias match said so, leads to its tasks', () => {
    const [row] = toRows('units', { items: [{ code: 'fgj', name: '区发改局', short_name: '发改局', kind: 'department' }] }, '发展和改革')
    expect(marked(row.title)).toBe('区发改局')
    expect(marked(row.note)).toBe('简称：发改局 · 区直部门 · 按别名找到 · 查看该单位的任务')
    expect(row.to).toEqual({ name: 'tasks', query: { unit: 'fgj' } })
    const [byName] = toRows('units', { items: [{ code: '420106001', name: '积玉桥街道', short_name: '', kind: 'street' }] }, '积玉桥')
    expect(marked(byName.note)).toBe('街道办事处 · 查看该单位的任务')
  })

  it('leaves out collective names (各街道办事处): no task is filed under them', () => {
    const answer = {
      items: [
        { code: 'all_streets', name: '各街道办事处', short_name: '', kind: 'collective' },
        { code: '420106001', name: '积玉桥街道', short_name: '', kind: 'street' },
      ],
    }
    expect(toRows('units', answer, '街道').map((r) => r.id)).toEqual(['unit-420106001'])
  })

  it('is empty for an empty or missing answer', () => {
    expect(toRows('tasks', { items: [] }, 'x')).toEqual([])
    expect(toRows('tasks', null, 'x')).toEqual([])
  })
})

describe('moreRow and flatten', () => {
  it('offers 查看全部 to the filtered list page when there is more', () => {
    const more = moreRow(group('buildings'), { shown: 5, total: 12, capped: false }, '中心')
    expect(marked(more.title)).toBe('查看全部楼宇结果（12 条）')
    expect(more.to).toEqual({ name: 'buildings', query: { q: '中心' } })
    expect(moreRow(group('enterprises'), { shown: 5, total: 1000, capped: true }, '科技').title[0].text).toContain('1000 条以上')
    expect(moreRow(group('tasks'), { shown: 5, total: 6, capped: false }, '楼宇').to).toEqual({ name: 'tasks', query: { q: '楼宇' } })
  })

  it('offers nothing when all is shown, or for units (no list page)', () => {
    expect(moreRow(group('buildings'), { shown: 3, total: 3, capped: false }, 'x')).toBeNull()
    expect(moreRow(group('units'), { shown: 5, total: 14, capped: false }, '街道')).toBeNull()
  })

  it('walks the groups in order, each 查看全部 after its rows', () => {
    const options = flatten([
      { key: 'buildings', rows: [{ id: 'b1' }, { id: 'b2' }], more: { id: 'buildings-all' } },
      { key: 'tasks', rows: [{ id: 't1' }], more: null },
    ])
    expect(options.map((o) => o.id)).toEqual(['b1', 'b2', 'buildings-all', 't1'])
    expect(options[0].group).toBe('buildings')
  })
})

describe('moveActive', () => {
  it('wraps at both ends', () => {
    expect(moveActive(0, 3, 1)).toBe(1)
    expect(moveActive(2, 3, 1)).toBe(0)
    expect(moveActive(0, 3, -1)).toBe(2)
  })

  it('starts at the first going down and the last going up', () => {
    expect(moveActive(-1, 3, 1)).toBe(0)
    expect(moveActive(-1, 3, -1)).toBe(2)
    expect(moveActive(7, 3, 1)).toBe(0)
  })

  it('is nowhere in an empty list', () => {
    expect(moveActive(0, 0, 1)).toBe(-1)
  })
})

describe('isSearchShortcut', () => {
  const key = (init, target = document.body) => {
    const event = new KeyboardEvent('keydown', { cancelable: true, ...init })
    Object.defineProperty(event, 'target', { value: target })
    return event
  }

  it('is / or Ctrl+K (⌘K) outside a field', () => {
    expect(isSearchShortcut(key({ key: '/' }))).toBe(true)
    expect(isSearchShortcut(key({ key: 'k', ctrlKey: true }))).toBe(true)
    expect(isSearchShortcut(key({ key: 'K', metaKey: true }))).toBe(true)
    const button = document.createElement('button')
    expect(isSearchShortcut(key({ key: '/' }, button))).toBe(true)
    const checkbox = document.createElement('input')
    checkbox.type = 'checkbox'
    expect(isSearchShortcut(key({ key: '/' }, checkbox))).toBe(true)
  })

  it('is not while typing in a field', () => {
    for (const tag of ['input', 'textarea', 'select']) {
      expect(isSearchShortcut(key({ key: '/' }, document.createElement(tag)))).toBe(false)
      expect(isSearchShortcut(key({ key: 'k', ctrlKey: true }, document.createElement(tag)))).toBe(false)
    }
    const editable = document.createElement('div')
    editable.contentEditable = 'true'
    Object.defineProperty(editable, 'isContentEditable', { value: true })
    expect(isSearchShortcut(key({ key: '/' }, editable))).toBe(false)
  })

  it('is not inside a modal dialog (the focus belongs there)', () => {
    const dialog = document.createElement('div')
    dialog.setAttribute('aria-modal', 'true')
    const button = document.createElement('button')
    dialog.appendChild(button)
    expect(isSearchShortcut(key({ key: 'k', ctrlKey: true }, button))).toBe(false)
  })

  it('is not another key or another combination', () => {
    expect(isSearchShortcut(key({ key: 'k' }))).toBe(false)
    expect(isSearchShortcut(key({ key: '/', ctrlKey: true }))).toBe(false)
    expect(isSearchShortcut(key({ key: 'k', ctrlKey: true, shiftKey: true }))).toBe(false)
    expect(isSearchShortcut(key({ key: '/', altKey: true }))).toBe(false)
  })
})

it('says plainly when nothing was found', () => {
  expect(emptyText('火星大厦')).toBe('未找到与“火星大厦”相关的结果')
})
