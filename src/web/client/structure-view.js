// @ts-check
/**
 * A structured note (src/notes/structuring/schema.ts) beside its text: problems, medications (with strength, dose, route
 * and frequency), allergies, vitals and labs as compact lists, one line per distinct finding however often it is
 * mentioned; their spans highlighted in the text. Negated, uncertain, historical, hypothetical and family mentions
 * carry a badge and a distinct text style, not only a colour. A dictation is shown with its spoken punctuation
 * applied, the raw transcript one click away.
 */
import { h, unitText } from './dom.js';
import { activate, renderHighlighted } from './highlight.js';

/** @typedef {import('./highlight.js').HighlightSpan} HighlightSpan */
/** @typedef {{ start: number, end: number, text: string }} Span */
/**
 * @typedef {object} MentionContext
 * @property {boolean} negated
 * @property {boolean} uncertain
 * @property {boolean} historical
 * @property {boolean} hypothetical
 * @property {boolean} family
 * @property {Array<Span & { category: string }>} cues
 */

const CONTEXT_FLAGS = /** @type {const} */ ([
  ['negated', 'negated'],
  ['uncertain', 'possible'],
  ['historical', 'history'],
  ['hypothetical', 'hypothetical'],
  ['family', 'family'],
]);

/** Short names for the vital kinds (their LOINC displays are long). */
const VITAL_LABELS = /** @type {Record<string, string>} */ ({
  blood_pressure: 'Blood pressure',
  heart_rate: 'Heart rate',
  respiratory_rate: 'Respiratory rate',
  temperature: 'Temperature',
  oxygen_saturation: 'Oxygen saturation',
  weight: 'Weight',
  height: 'Height',
  bmi: 'BMI',
  pain_score: 'Pain score',
});

/** @param {MentionContext | undefined} context */
function contextClasses(context) {
  return context ? CONTEXT_FLAGS.filter(([flag]) => context[flag]).map(([flag]) => `ctx-${flag}`) : [];
}

/** @param {MentionContext | undefined} context */
function contextBadges(context) {
  return context ? CONTEXT_FLAGS.filter(([flag]) => context[flag]).map(([flag, label]) => h('span', { class: `badge ctx-badge ctx-${flag}` }, label)) : [];
}

/** @param {{ value: number, unit: string } | null | undefined} q */
const quantity = (q) => (q ? `${q.value} ${unitText(q.unit)}` : null);

/**
 * @param {any} med
 * @returns {string}
 */
function medicationSig(med) {
  return [
    quantity(med.strength),
    med.dose ? quantity(med.dose) : null,
    med.form?.text,
    med.route ? `${med.route.text} (${med.route.display})` : null,
    med.frequency ? (med.frequency.code && med.frequency.code !== med.frequency.text ? `${med.frequency.text} (${med.frequency.code})` : med.frequency.text) : null,
    med.asNeeded ? 'as needed' : null,
    med.duration ? `for ${quantity(med.duration)}` : null,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** @param {any} vital */
function vitalValue(vital) {
  if (vital.components?.length === 2) return `${vital.components[0].value}/${vital.components[1].value} ${unitText(vital.unit)}`;
  return `${vital.value} ${unitText(vital.unit)}`;
}

/** @param {any} lab */
function labValue(lab) {
  const value = lab.value !== null ? `${lab.value}${lab.unit ? ` ${unitText(lab.unit)}` : ''}` : (lab.valueText ?? '');
  const flag = { H: 'high', L: 'low', A: 'abnormal', N: 'normal' }[/** @type {'H'} */ (lab.flag)] ?? null;
  return flag ? `${value} (${flag})` : value;
}

/** @param {any} allergy */
function allergyLabel(allergy) {
  if (allergy.noKnownAllergies) return `No known ${allergy.scope && allergy.scope !== 'all' ? `${allergy.scope} ` : ''}allergies`;
  return allergy.substance?.display ?? allergy.text;
}

/**
 * The categories shown, each with how to read its items.
 * @type {Array<{ key: string, title: string, items: (s: any) => any[], spans: (item: any) => Array<Span & { part?: string }>, label: (item: any) => string, detail: (item: any) => string | null, context: (item: any) => MentionContext | undefined }>}
 */
const CATEGORIES = [
  {
    key: 'problem',
    title: 'Problems',
    items: (s) => s.problems ?? [],
    spans: (p) => [p],
    label: (p) => p.text,
    detail: (p) => [p.category, p.candidateCodes?.[0] ? `ICD-10-CM ${p.candidateCodes[0]}` : null].filter(Boolean).join(' · '),
    context: (p) => p.context,
  },
  {
    key: 'medication',
    title: 'Medications',
    items: (s) => s.medications ?? [],
    spans: (m) => [m, ...['strength', 'dose', 'form', 'route', 'frequency', 'duration'].filter((k) => m[k]).map((k) => ({ ...m[k], part: k }))],
    label: (m) => (m.ingredient && m.ingredient.toLowerCase() !== m.name.toLowerCase() ? `${m.name} (${m.ingredient})` : m.name),
    detail: (m) => [medicationSig(m), m.status && m.status !== 'unknown' ? m.status : null].filter(Boolean).join(' · ') || null,
    context: (m) => m.context,
  },
  {
    key: 'allergy',
    title: 'Allergies',
    items: (s) => s.allergies ?? [],
    spans: (a) => [a],
    label: allergyLabel,
    detail: (a) => [a.reactions?.map((/** @type {any} */ r) => r.display).join(', '), a.severity].filter(Boolean).join(' · ') || null,
    context: () => undefined,
  },
  {
    key: 'vital',
    title: 'Vitals',
    items: (s) => s.vitals ?? [],
    spans: (v) => [v],
    label: (v) => VITAL_LABELS[v.kind] ?? v.display,
    detail: vitalValue,
    context: () => undefined,
  },
  {
    key: 'lab',
    title: 'Labs',
    items: (s) => s.labs ?? [],
    spans: (l) => [l],
    label: (l) => l.name?.text ?? l.display,
    detail: (l) => `${labValue(l)} · ${l.display}`,
    context: (l) => l.context,
  },
];

const legend = () =>
  h(
    'div',
    { class: 'legend', 'aria-label': 'Legend' },
    CATEGORIES.map((c) => h('span', { class: `swatch hl-${c.key}` }, c.title)),
    h('span', { class: 'swatch hl-med-attr' }, 'dose, route, frequency'),
    h('span', { class: 'swatch ctx-negated' }, 'negated'),
    h('span', { class: 'swatch ctx-historical' }, 'history'),
    h('span', { class: 'swatch ctx-family' }, 'family'),
    h('span', { class: 'swatch ctx-uncertain' }, 'possible'),
  );

/**
 * The spans placed on the cleaned dictation. Findings were extracted from the cleaned text and their offsets mapped
 * to the raw transcript; each span's words are found again in the cleaned text, in order. A span whose words
 * changed in cleaning (it covered spoken punctuation) is left unmarked there; it stays exact in the raw view.
 * @param {string} raw
 * @param {string} cleaned
 * @param {HighlightSpan[]} spans
 * @returns {HighlightSpan[]}
 */
function spansOnCleaned(raw, cleaned, spans) {
  const lower = cleaned.toLowerCase();
  /** @type {HighlightSpan[]} */
  const placed = [];
  let from = 0;
  for (const span of [...spans].sort((a, b) => a.start - b.start || b.end - a.end)) {
    const words = raw.slice(span.start, span.end).toLowerCase();
    if (!words.trim()) continue;
    // Search from a little before the previous start: spans nest (a dose inside its medication).
    const at = lower.indexOf(words, Math.max(0, from - 40));
    if (at < 0) continue;
    placed.push({ ...span, start: at, end: at + words.length });
    from = at;
  }
  return placed;
}

/**
 * Renders the note text with highlights beside the structured lists.
 * @param {string} text the original note text (offsets refer to it)
 * @param {any} structure a StructuredNote
 * @returns {HTMLElement}
 */
export function structureView(text, structure) {
  const cleaned = structure.normalizedText;
  const textEl = h('div', { class: 'note-text', tabindex: 0, 'aria-label': cleaned ? 'Dictation with spoken punctuation applied, findings highlighted' : 'Note text with highlighted findings' });
  const rawEl = cleaned ? h('div', { class: 'note-text', tabindex: 0, 'aria-label': 'Raw transcript as dictated, findings highlighted' }) : null;
  /** @type {HighlightSpan[]} */
  const spans = [];
  /** @type {Map<string, HTMLButtonElement>} */
  const buttons = new Map();
  /** @type {string | null} */
  let active = null;
  /** @type {Map<string, HTMLElement[]>} */
  let marks = new Map();
  /** @type {Map<string, HTMLElement[]>} */
  let rawMarks = new Map();

  /** @param {string | null} key */
  function select(key) {
    active = key === active ? null : key;
    for (const [k, b] of buttons) b.setAttribute('aria-pressed', String(k === active));
    activate(textEl, marks, active);
    if (rawEl && rawEl.offsetParent) activate(rawEl, rawMarks, active);
  }

  const lists = CATEGORIES.map((category) => {
    const items = category.items(structure);
    /** Mentions of the same finding (same words, value and context) share one line and one key. */
    /** @type {Map<string, { item: any, count: number }>} */
    const distinct = new Map();
    const keyOf = (/** @type {any} */ item) => `${category.key}:${category.label(item).toLowerCase()}|${category.detail(item) ?? ''}|${contextClasses(category.context(item)).join(' ')}`;
    for (const item of items) {
      const key = keyOf(item);
      const seen = distinct.get(key);
      if (seen) seen.count++;
      else distinct.set(key, { item, count: 1 });
    }
    for (const item of items) {
      const key = keyOf(item);
      const context = category.context(item);
      const ctx = contextClasses(context);
      for (const span of category.spans(item)) {
        spans.push({
          start: span.start,
          end: span.end,
          key,
          classes: ['hl', span.part ? 'hl-med-attr' : `hl-${category.key}`, ...ctx],
          title: span.part ? `${category.label(item)}: ${span.part}` : `${category.title.replace(/s$/, '')}: ${category.label(item)}${ctx.length ? ` (${ctx.map((c) => c.slice(4)).join(', ')})` : ''}`,
        });
      }
      for (const cue of context?.cues ?? []) {
        if (cue.category !== 'section') spans.push({ start: cue.start, end: cue.end, key: `cue:${cue.start}`, classes: ['hl', 'hl-cue'], title: `${cue.category} cue` });
      }
    }
    const entries = [...distinct].map(([key, { item, count }]) => {
      const context = category.context(item);
      const detail = category.detail(item);
      const button = h(
        'button',
        { type: 'button', class: `item item-${category.key} ${contextClasses(context).join(' ')}`, 'aria-pressed': 'false', onclick: () => select(key) },
        h('span', { class: 'item-label' }, category.label(item)),
        contextBadges(context),
        count > 1 ? h('span', { class: 'badge mentions', title: `Mentioned ${count} times` }, `×${count}`) : null,
        detail ? h('span', { class: 'item-detail' }, detail) : null,
      );
      buttons.set(key, button);
      return h('li', {}, button);
    });
    return h(
      'section',
      { class: `structure-group group-${category.key}`, 'aria-label': category.title },
      h('h4', {}, `${category.title} `, h('span', { class: 'count' }, `(${distinct.size})`)),
      entries.length ? h('ul', { class: 'item-list' }, entries) : h('p', { class: 'hint' }, 'None found.'),
    );
  });

  const onSelect = (/** @type {string} */ key) => buttons.has(key) && select(key);
  marks = renderHighlighted(textEl, cleaned ?? text, cleaned ? spansOnCleaned(text, cleaned, spans) : spans, { onSelect });
  if (rawEl) rawMarks = renderHighlighted(rawEl, text, spans, { onSelect });
  const sections = structure.sections ?? [];
  return h(
    'div',
    { class: 'structure' },
    legend(),
    h(
      'div',
      { class: 'split' },
      h(
        'div',
        { class: 'text-pane' },
        h('h3', {}, cleaned ? 'Text (spoken punctuation applied)' : 'Text'),
        textEl,
        rawEl
          ? h(
              'details',
              { ontoggle: (/** @type {Event} */ e) => /** @type {HTMLDetailsElement} */ (e.target).open && activate(rawEl, rawMarks, active) },
              h('summary', {}, 'Raw transcript as dictated'),
              rawEl,
            )
          : null,
      ),
      h(
        'div',
        { class: 'structure-pane' },
        h('h3', {}, 'Findings'),
        lists,
        sections.length
          ? h(
              'section',
              { class: 'structure-group', 'aria-label': 'Sections' },
              h('h4', {}, 'Sections ', h('span', { class: 'count' }, `(${sections.length})`)),
              h('ul', { class: 'plain-list' }, sections.map((/** @type {any} */ s) => h('li', {}, s.title, s.loinc ? h('span', { class: 'item-detail' }, ` LOINC ${s.loinc}`) : null))),
            )
          : null,
      ),
    ),
  );
}
