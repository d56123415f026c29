/** The lead pipeline, in order (lost can follow any open stage). */
export const LEAD_STAGES = Object.freeze([
  { value: 'new', label: '新线索', type: 'info' },
  { value: 'contacted', label: '已接洽', type: 'primary' },
  { value: 'negotiating', label: '洽谈中', type: 'warning' },
  { value: 'signed', label: '已签约', type: 'success' },
  { value: 'lost', label: '已流失', type: 'danger' },
])
const ORDER = ['new', 'contacted', 'negotiating', 'signed']

export function leadStage(value) {
  return LEAD_STAGES.find((s) => s.value === value) || { value, label: value, type: 'info' }
}

/** The stages a lead can move to from `stage`: later ones, or lost; none once signed or lost. */
export function nextStages(stage) {
  if (stage === 'signed' || stage === 'lost') return []
  const i = ORDER.indexOf(stage)
  return [...ORDER.slice(i + 1), 'lost'].map(leadStage)
}
