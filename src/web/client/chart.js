// @ts-check
/**
 * Clinician: a patient's chart. The summary (problems, medications, allergies, vitals and lab trends as small
 * charts), the notes timeline, and search over the history whose passages open in their note.
 */
import { request } from './api.js';
import { byId, formatDate, h, replace, setStatus, unitText } from './dom.js';
import { trendChart } from './charts.js';
import { renderHighlighted } from './highlight.js';
import { startPage } from './layout.js';
import { patientLabel, patientPicker } from './patient-picker.js';

const patientId = document.body.dataset.patientId;

/** @typedef {{ noteId: string, start: number, end: number, observedAt: string }} Source */

/** Short names for vital signs by LOINC code (the summary carries the long LOINC display). */
const VITAL_NAMES = /** @type {Record<string, string>} */ ({
  'loinc:85354-9': 'Blood pressure',
  'loinc:8867-4': 'Heart rate',
  'loinc:9279-1': 'Respiratory rate',
  'loinc:8310-5': 'Temperature',
  'loinc:59408-5': 'Oxygen saturation',
  'loinc:2708-6': 'Oxygen saturation',
  'loinc:29463-7': 'Weight',
  'loinc:8302-2': 'Height',
  'loinc:39156-5': 'BMI',
  'loinc:72514-3': 'Pain score',
});

/** A reading against its reference range: the structured interpretation, else the lab's HL7 flag. */
const interpretationOf = (/** @type {any} */ reading) => reading.interpretation ?? { H: 'high', L: 'low', A: 'abnormal', N: 'normal' }[/** @type {'H'} */ (reading.flag)] ?? null;
const FLAG_SHORT = /** @type {Record<string, string>} */ ({ high: 'H', low: 'L', 'critical-high': 'HH', 'critical-low': 'LL', abnormal: 'A' });
const FLAG_WORDS = /** @type {Record<string, string>} */ ({ high: 'high', low: 'low', 'critical-high': 'critically high', 'critical-low': 'critically low', abnormal: 'abnormal' });

/** @param {{ display: string, codes: string[] }} vital */
const vitalName = (vital) => vital.codes.map((c) => VITAL_NAMES[c]).find(Boolean) ?? vital.display;

/**
 * The numbers of a reading: a blood pressure's systolic and diastolic, otherwise its value (none for a text result).
 * @param {{ value: number | null, components?: unknown[] | null }} reading
 * @returns {number[]}
 */
function readingValues(reading) {
  const parts = (reading.components ?? []).map((c) => /** @type {{ value?: unknown }} */ (c).value).filter((v) => typeof v === 'number');
  return parts.length ? parts : reading.value !== null ? [reading.value] : [];
}

/**
 * @param {{ value: number | null, valueText?: string | null, components?: unknown[] | null }} reading
 * @param {string} unit as shown
 */
function readingText(reading, unit) {
  const values = readingValues(reading);
  return values.length ? `${values.join('/')}${unit ? ` ${unit}` : ''}` : (reading.valueText ?? '');
}

if (startPage()) {
  if (!patientId) {
    patientPicker({ selectLabel: 'Open chart', onSelect: (p) => location.assign(`/app/chart/${p.id}`) });
  } else {
    const status = byId('chart-status');
    const passage = byId('passage');
    const passageText = byId('passage-text');
    /** @type {string | null} */
    let notesCursor = null;

    /**
     * Shows a note with one stretch (a passage or a fact's span) highlighted, and the matched words inside it.
     * @param {string} noteId
     * @param {{ start: number, end: number, matches?: Array<{ start: number, end: number, match: string }>, label?: string }} [focus]
     */
    async function openNote(noteId, focus) {
      passage.hidden = false;
      replace(passageText, 'Loading the note…');
      try {
        const note = await request(`/v1/notes/${noteId}`);
        replace(byId('passage-meta'), `${note.kind} note · ${formatDate(note.authoredAt)} · ${note.author}${focus?.label ? ` · ${focus.label}` : ''}`);
        const spans = focus
          ? [
              { start: focus.start, end: focus.end, key: 'passage', classes: ['hl', 'hl-passage'], title: 'The passage' },
              ...(focus.matches ?? []).map((m, i) => ({ start: focus.start + m.start, end: focus.start + m.end, key: `match:${i}`, classes: ['hl', m.match === 'concept' ? 'hl-concept' : 'hl-match'], title: m.match === 'concept' ? 'Another name for a searched concept' : 'Searched word' })),
            ]
          : [];
        const marks = renderHighlighted(passageText, note.text, spans);
        passage.focus({ preventScroll: true });
        passage.scrollIntoView({ block: 'start' });
        marks.get('passage')?.[0]?.scrollIntoView({ block: 'center' });
      } catch (e) {
        replace(passageText, h('span', { class: 'error' }, `Could not open the note: ${/** @type {Error} */ (e).message}`));
      }
    }

    /**
     * @param {Source} source
     * @param {string} label
     */
    const sourceButton = (source, label) =>
      h('button', { type: 'button', class: 'link-button', 'aria-label': `Open the note of ${formatDate(source.observedAt, false)} at "${label}"`, onclick: () => void openNote(source.noteId, { start: source.start, end: source.end, label }) }, formatDate(source.observedAt, false));

    /**
     * A vital sign or lab test as one row: its short name, a small trend chart of its numeric readings (with the
     * reference range shaded), the latest reading with its flag and reference range, and the note it was read from.
     * @param {{ kind: 'vital' | 'lab', series: any, name: string, title?: string, details?: import('./dom.js').Child[] }} row
     */
    function seriesItem({ kind, series, name, title, details = [] }) {
      const points = /** @type {any[]} */ (series.points);
      const latest = points[points.length - 1];
      const unit = series.unitDisplay ?? unitText(latest.unit);
      const judged = (/** @type {any} */ p) => interpretationOf(p) ?? null;
      const numeric = points.map((p) => ({ at: p.observedAt, values: readingValues(p), abnormal: !!judged(p) && judged(p) !== 'normal' })).filter((p) => p.values.length > 0);
      const flag = judged(latest);
      return h(
        'li',
        { class: `series ${kind}` },
        h('span', { class: 'series-name', title }, name),
        // One band cannot stand for two ranges (systolic and diastolic): those are given as text only.
        numeric.length ? trendChart(numeric, { label: name, unit, range: numeric.some((p) => p.values.length > 1) ? null : series.referenceRange }) : null,
        h(
          'span',
          { class: 'series-value' },
          readingText(latest, unit),
          flag && flag !== 'normal' ? h('span', { class: `badge flag-${flag}`, title: FLAG_WORDS[flag] ?? flag }, FLAG_SHORT[flag] ?? flag, h('span', { class: 'visually-hidden' }, ` (${FLAG_WORDS[flag] ?? flag})`)) : null,
          details,
          series.referenceRange ? h('span', { class: 'item-detail ref-range' }, ` ref ${series.referenceRange.text}`) : null,
          h('span', { class: 'item-detail' }, ' ', sourceButton(latest.source, name)),
        ),
      );
    }

    /**
     * Problems, each merged by concept, with the other names used, their mention count and a link to the newest source note.
     * @param {string} id @param {string} title @param {any[]} problems
     */
    function problemSection(id, title, problems) {
      return h(
        'section',
        { 'aria-labelledby': id },
        h('h3', { id }, title),
        problems.length
          ? h(
              'ul',
              { class: 'plain-list' },
              problems.map((p) =>
                h(
                  'li',
                  {},
                  h('strong', {}, p.display),
                  p.status ? h('span', { class: 'badge' }, p.status) : null,
                  p.aliases.length ? h('span', { class: 'item-detail problem-aliases' }, ` (also ${p.aliases.join(', ')})`) : null,
                  h('span', { class: 'item-detail' }, ` ${p.mentions} mention${p.mentions === 1 ? '' : 's'} · first ${formatDate(p.firstMentioned, false)} · last `, p.sources[0] ? sourceButton(p.sources[0], p.display) : formatDate(p.lastMentioned, false)),
                ),
              ),
            )
          : h('p', { class: 'hint' }, 'None recorded.'),
      );
    }

    /** @param {any} s */
    function showSummary(s) {
      replace(
        byId('summary'),
        problemSection('sum-problems', 'Active problems', s.problems.filter((/** @type {any} */ p) => !p.pastOnly)),
        problemSection('sum-past', 'Past history', s.problems.filter((/** @type {any} */ p) => p.pastOnly)),
        h(
          'section',
          { 'aria-labelledby': 'sum-meds' },
          h('h3', { id: 'sum-meds' }, 'Current medications'),
          s.medications.length
            ? h(
                'ul',
                { class: 'plain-list' },
                s.medications.map((/** @type {any} */ m) =>
                  h(
                    'li',
                    {},
                    h('strong', {}, m.display),
                    ' ',
                    [m.detail.strength, m.detail.route, m.detail.frequency, m.detail.asNeeded ? 'as needed' : null].filter(Boolean).join(' · '),
                    m.status && m.status !== 'unknown' ? h('span', { class: 'badge' }, m.status) : null,
                    h('span', { class: 'item-detail' }, ' last ', sourceButton(m.source, m.display)),
                  ),
                ),
              )
            : h('p', { class: 'hint' }, 'None recorded.'),
        ),
        h(
          'section',
          { 'aria-labelledby': 'sum-allergies' },
          h('h3', { id: 'sum-allergies' }, 'Allergies'),
          s.allergies.length
            ? h(
                'ul',
                { class: 'plain-list' },
                s.allergies.map((/** @type {any} */ a) =>
                  h('li', {}, h('strong', { class: 'allergy' }, a.display), a.reactions.length ? ` (${a.reactions.join(', ')})` : '', h('span', { class: 'item-detail' }, ' recorded ', sourceButton(a.source, a.display))),
                ),
              )
            : s.noKnownAllergies
              ? h('p', {}, 'No known allergies (', sourceButton(s.noKnownAllergies, 'no known allergies'), ')')
              : h('p', { class: 'hint' }, 'Not recorded.'),
        ),
        h(
          'section',
          { 'aria-labelledby': 'sum-vitals' },
          h('h3', { id: 'sum-vitals' }, 'Vitals'),
          s.vitals.length
            ? h(
                'ul',
                { class: 'series-list' },
                s.vitals.map((/** @type {any} */ v) => seriesItem({ kind: 'vital', series: v, name: v.shortName ?? vitalName(v), title: v.display })),
              )
            : h('p', { class: 'hint' }, 'None recorded.'),
        ),
        h(
          'section',
          { 'aria-labelledby': 'sum-labs' },
          h('h3', { id: 'sum-labs' }, 'Lab trends'),
          s.labs.length
            ? h(
                'ul',
                { class: 'series-list' },
                s.labs.map((/** @type {any} */ l) => {
                  return seriesItem({
                    kind: 'lab',
                    series: l,
                    name: l.shortName ?? l.display,
                    title: l.display,
                    details: [
                      l.change !== null ? h('span', { class: 'item-detail' }, ` ${l.change > 0 ? '↑' : l.change < 0 ? '↓' : '→'} ${Math.abs(Math.round(l.change * 100) / 100)}`) : null,
                    ],
                  });
                }),
              )
            : h('p', { class: 'hint' }, 'None recorded.'),
        ),
      );
    }

    async function loadNotes() {
      const page = await request(`/v1/patients/${patientId}/notes`, { query: { limit: 20, cursor: notesCursor ?? undefined } });
      const timeline = byId('timeline');
      for (const n of page.items) {
        timeline.appendChild(
          h(
            'li',
            {},
            h('time', { datetime: n.authoredAt }, formatDate(n.authoredAt)),
            h('span', {}, ` ${n.kind} · ${n.author}`, n.status !== 'processed' ? h('span', { class: 'badge' }, n.status) : null),
            h('button', { type: 'button', class: 'link-button', 'aria-label': `Open the ${n.kind} note of ${formatDate(n.authoredAt)}`, onclick: () => void openNote(n.id) }, 'Open'),
          ),
        );
      }
      if (page.items.length === 0 && !notesCursor) timeline.appendChild(h('li', { class: 'hint' }, 'No notes yet.'));
      notesCursor = page.nextCursor;
      byId('timeline-more').hidden = !notesCursor;
    }

    /** @param {any} hit */
    function searchHit(hit) {
      const text = h('p', { class: 'passage-text' });
      renderHighlighted(
        text,
        hit.text,
        hit.highlights.map((/** @type {any} */ m, /** @type {number} */ i) => ({ start: m.start, end: m.end, key: `m${i}`, classes: ['hl', m.match === 'concept' ? 'hl-concept' : 'hl-match'], title: m.concept ? `Concept: ${m.concept}` : undefined })),
      );
      return h(
        'li',
        { class: 'search-hit' },
        h(
          'div',
          { class: 'hit-head' },
          h('time', { datetime: hit.noteDate }, formatDate(hit.noteDate, false)),
          h('span', { class: 'badge' }, hit.sectionTitle),
          h('span', { class: 'item-detail' }, hit.noteKind),
          hit.negated ? h('span', { class: 'badge ctx-badge ctx-negated' }, 'denied in this passage') : null,
          hit.lexicalRank === null ? h('span', { class: 'badge', title: 'Found by meaning, without the searched words' }, 'related') : null,
        ),
        text,
        h(
          'button',
          { type: 'button', class: 'secondary small', onclick: () => void openNote(hit.noteId, { start: hit.start, end: hit.end, matches: hit.highlights, label: hit.sectionTitle }) },
          'Open in note',
        ),
      );
    }

    byId('history-search').addEventListener('submit', async (event) => {
      event.preventDefault();
      const q = /** @type {HTMLInputElement} */ (byId('history-query')).value.trim();
      const searchStatus = byId('search-status');
      const results = byId('search-results');
      if (!q) return;
      setStatus(searchStatus, 'Searching…');
      try {
        const result = await request(`/v1/patients/${patientId}/search`, { query: { q, k: 10 } });
        replace(results, result.items.map(searchHit));
        setStatus(searchStatus, result.items.length ? `${result.items.length} passage${result.items.length === 1 ? '' : 's'}, best first.` : 'Nothing in this history matches.');
      } catch (e) {
        replace(results);
        setStatus(searchStatus, `Search failed: ${/** @type {Error} */ (e).message}`, 'error');
      }
    });
    byId('timeline-more').addEventListener('click', () => void loadNotes());

    (async () => {
      const patient = await request(`/v1/patients/${patientId}`);
      byId('chart-heading').textContent = `Patient chart · ${patientLabel(patient)}`;
      byId('chart').hidden = false;
      const [summary] = await Promise.allSettled([request(`/v1/patients/${patientId}/summary`).then(showSummary), loadNotes()]);
      if (summary.status === 'rejected') replace(byId('summary'), h('p', { class: 'error' }, `The summary is unavailable: ${summary.reason.message}`));
      setStatus(status, '');
    })().catch((e) => setStatus(status, `Could not load the chart: ${/** @type {Error} */ (e).message}`, 'error'));
  }
}
