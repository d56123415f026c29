import { mount } from '@vue/test-utils'
import { describe, expect, it } from 'vitest'
import GoalBar from './GoalBar.vue'

/** Goal entries as the metrics answer gives them (GET /api/metrics/dashboard → goals[]). */
const entry = (fields) => ({
  id: 1,
  source: 'tasks',
  text: '',
  year: 2025,
  baseline_value: null,
  baseline_year: null,
  achieved: false,
  measured_by: 'metrics',
  kind: 'count',
  ...fields,
})

const bar = (goal) => {
  const w = mount(GoalBar, { props: { goal } })
  return {
    w,
    width: w.find('.goal__fill').attributes('style'),
    now: w.find('[role="progressbar"]').attributes('aria-valuenow'),
    line: w.find('[data-testid="goal-line"]').text(),
    percent: w.find('[data-testid="goal-percent"]').exists() ? w.find('[data-testid="goal-percent"]').text() : null,
    sentence: w.find('[data-testid="goal-sentence"]').exists() ? w.find('[data-testid="goal-sentence"]').text() : '',
  }
}

describe('GoalBar: one bar for every form of goal', () => {
  it('an increase (新增2栋亿元楼宇): the new buildings against the target', () => {
    const b = bar(
      entry({
        metric: 'yiyuan_buildings',
        metric_name: '亿元楼宇',
        comparison: 'increase',
        target: '2',
        unit: '栋',
        current_value: '1',
        baseline_value: '1',
        baseline_year: 2024,
        progress: '50.0',
        computation: '2024年亿元楼宇 1 栋（基线）；2025年亿元楼宇 2 栋，其中新增 1 栋；目标新增 2 栋，完成 50.0%。',
      }),
    )
    expect(b.width).toContain('width: 50%')
    expect(b.now).toBe('50')
    expect(b.line).toBe('已新增1栋 / 目标新增2栋')
    expect(b.percent).toBe('完成 50.0%')
    expect(b.sentence).toContain('2025年亿元楼宇 2 栋')
  })

  it('an absolute count (亿元楼宇达到35栋): the count now', () => {
    const b = bar(
      entry({
        metric: 'yiyuan_buildings',
        metric_name: '亿元楼宇',
        comparison: 'at_least',
        target: 35,
        unit: '栋',
        current_value: 7,
        progress: 20,
        computation: '亿元楼宇 现有 7 栋（2025年），目标达到 35 栋，完成 20.0%。',
      }),
    )
    expect(b.width).toContain('width: 20%')
    expect(b.line).toBe('现为7栋 / 目标达到35栋')
    expect(b.percent).toBe('完成 20.0%')
    expect(b.sentence).toBe('亿元楼宇 现有 7 栋（2025年），目标达到 35 栋，完成 20.0%。')
  })

  it('a ≥ rate (入驻率达到90%): percents, not fractions', () => {
    const b = bar(
      entry({
        metric: 'occupancy_rate',
        metric_name: '入驻率',
        kind: 'rate',
        comparison: 'at_least',
        target: '90',
        unit: '%',
        current_value: '60.0',
        progress: '66.7',
        computation: '入驻率（全区入驻面积 ÷ 可出租面积）2025年 60%，目标达到 90%，完成 66.7%。',
      }),
    )
    expect(b.width).toContain('width: 66.7%')
    expect(b.now).toBe('67')
    expect(b.line).toBe('现为60% / 目标达到90%')
  })

  it('a not-below rate already reached (注册率不低于80%): full bar, marked done, capped at 100%', () => {
    const b = bar(
      entry({
        metric: 'registration_rate',
        metric_name: '注册率',
        kind: 'rate',
        comparison: 'at_least',
        target: 80,
        unit: '%',
        current_value: 88,
        progress: 110,
        achieved: true,
        computation: '注册率 2025年 88%，目标达到 80%，完成 110.0%。',
      }),
    )
    expect(b.width).toContain('width: 100%')
    expect(b.percent).toBe('完成 110.0%')
    expect(b.w.find('.goal__fill').classes()).toContain('is-reached')
    expect(b.w.text()).toContain('（已完成）')
  })

  it('a ceiling (入驻率控制在95%以内) reads as 不高于', () => {
    const b = bar(
      entry({
        metric: 'occupancy_rate',
        metric_name: '入驻率',
        kind: 'rate',
        comparison: 'at_most',
        target: 95,
        unit: '%',
        current_value: 60,
        progress: 100,
        achieved: true,
        computation: '',
      }),
    )
    expect(b.line).toBe('现为60% / 目标不高于95%')
  })

  it('a count the bureau enters (招商共享中心3个): empty until entered, then its value', () => {
    const before = bar(
      entry({
        metric: 'sharing_centres',
        metric_name: '招商共享中心',
        measured_by: 'bureau',
        comparison: 'increase',
        target: '3',
        unit: '个',
        current_value: null,
        progress: null,
        computation: '“招商共享中心”无法由税收和登记数据计算，当前值由区商务局填报；尚未填报。',
      }),
    )
    expect(before.width).toContain('width: 0%')
    expect(before.now).toBeUndefined()
    expect(before.line).toBe('当前值尚未填报 / 目标新增3个')
    expect(before.percent).toBeNull()
    const after = bar(
      entry({
        metric: 'sharing_centres',
        metric_name: '招商共享中心',
        measured_by: 'bureau',
        comparison: 'increase',
        target: '3',
        unit: '个',
        current_value: '2',
        progress: '66.7',
        computation: '招商共享中心 已新增 2 个，目标新增 3 个，完成 66.7%（截至 2025-09-30，区商务局 shangwu 填报）。',
      }),
    )
    expect(after.line).toBe('已新增2个 / 目标新增3个')
    expect(after.width).toContain('width: 66.7%')
  })

  it('a goal the preview added for an unclassified sentence (楼宇税收 ≥ 50亿元) is named, never by its code', () => {
    const b = bar(
      entry({
        metric: 'building_tax',
        metric_name: '楼宇税收',
        measured_by: 'bureau',
        comparison: 'at_least',
        target: 50,
        unit: '亿元',
        current_value: 20,
        progress: 40,
        computation: '楼宇税收 现有 20 亿元，目标达到 50 亿元，完成 40.0%（截至 2025-09-30，区商务局 shangwu 填报）。',
      }),
    )
    expect(b.w.find('[role="progressbar"]').attributes('aria-label')).toBe('楼宇税收目标进度')
    expect(b.line).toBe('现为20亿元 / 目标达到50亿元')
    expect(b.w.text()).not.toContain('building_tax')
  })
})
