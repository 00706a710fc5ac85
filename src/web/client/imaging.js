// @ts-check
/**
 * Radiologist: unread studies, urgent first, with patient, clinical indication, thumbnail and triage score; open one in the viewer
 * (zoom, pan, window/level, heatmap blended over the image) and mark it read, agreeing or disagreeing with the
 * triage; the next study opens, and reads of this session can be undone. Image bytes are fetched with the key
 * and shown from blob: URLs (an <img src> could not send the key).
 */
import { request } from './api.js';
import { byId, formatDate, h, percent, replace, setStatus } from './dom.js';
import { imageViewer } from './image-viewer.js';
import { guardUnsaved, startPage } from './layout.js';

const PRIORITY_LABELS = /** @type {Record<string, string>} */ ({ urgent: 'Urgent', routine: 'Routine', unreadable: 'Unreadable' });

if (startPage()) {
  const status = byId('imaging-status');
  const studies = byId('studies');
  const more = byId('studies-more');
  const study = byId('study');
  const studyBody = byId('study-body');
  const readList = byId('read-list');
  const readEmpty = byId('read-empty');
  /** The open study's comment box, while it has text not yet sent with a read. */
  /** @type {HTMLTextAreaElement | null} */
  let openComment = null;
  guardUnsaved(() => (openComment?.value.trim() ? 'Your comment on the open study is not saved.' : null));
  /** @type {string | null} */
  let cursor = null;
  /** @type {string[]} object URLs of the open study, revoked when another opens */
  let studyUrls = [];

  /**
   * @param {string} url
   * @returns {Promise<string>}
   */
  async function objectUrl(url) {
    return URL.createObjectURL(await request(url, { as: 'blob' }));
  }

  /** @param {any} item */
  function priorityBadge(item) {
    if (!item.priority) return h('span', { class: 'badge' }, item.status === 'failed' ? 'triage failed' : 'triage pending');
    return h('span', { class: `badge priority-${item.priority}` }, PRIORITY_LABELS[item.priority] ?? item.priority);
  }

  /**
   * Why the study was ordered, under the patient's name; said outright when the order gave no reason.
   * @param {string | null} indication
   */
  function indicationLine(indication) {
    return indication
      ? h('span', { class: 'indication', title: indication }, h('span', { class: 'indication-label' }, 'Indication: '), indication)
      : h('span', { class: 'meta indication missing' }, 'No indication given');
  }

  /** @param {any} item */
  function studyItem(item) {
    // The button's text names the study; the thumbnail adds nothing a screen reader needs.
    const thumb = h('img', { class: 'thumb', alt: '', width: 64, height: 64 });
    if (item.thumbnailUrl) objectUrl(item.thumbnailUrl).then((url) => (thumb.src = url), () => thumb.replaceWith(h('span', { class: 'thumb missing' }, 'no preview')));
    const score = item.score === null ? '—' : percent(item.score);
    return h(
      'li',
      { class: `study-item ${item.priority === 'urgent' ? 'urgent' : ''}`, dataset: { imageId: item.imageId } },
      h(
        'button',
        { type: 'button', class: 'study-button', onclick: () => void open(item.imageId) },
        thumb,
        h(
          'span',
          { class: 'study-text' },
          h('span', {}, priorityBadge(item), ' ', h('strong', {}, item.patientName ?? 'Unnamed patient'), ` · MRN ${item.mrn}`),
          indicationLine(item.indication),
          h('span', { class: 'meta' }, `${item.modality ?? item.format.toUpperCase()} · received ${formatDate(item.receivedAt)}`),
          h('span', { class: 'meta' }, `Score ${score}${item.label ? ` (${item.label})` : ''}`),
        ),
      ),
    );
  }

  /** @param {boolean} reset */
  async function load(reset) {
    if (reset) {
      cursor = null;
      studies.replaceChildren();
    }
    setStatus(status, 'Loading the worklist…');
    try {
      const page = await request('/v1/imaging/worklist', { query: { status: 'unread', limit: 50, cursor: cursor ?? undefined } });
      for (const item of page.items) studies.appendChild(studyItem(item));
      cursor = page.nextCursor;
      more.hidden = !cursor;
      updateCount();
    } catch (e) {
      setStatus(status, `Could not load the worklist: ${/** @type {Error} */ (e).message}`, 'error');
    }
  }

  function updateCount() {
    const n = studies.children.length;
    setStatus(status, n === 0 ? 'No unread studies.' : `${n} unread stud${n === 1 ? 'y' : 'ies'}${cursor ? ' (more available)' : ''}.`);
  }

  /** @param {string} imageId */
  async function open(imageId) {
    for (const li of studies.children) li.classList.toggle('selected', /** @type {HTMLElement} */ (li).dataset.imageId === imageId);
    for (const url of studyUrls) URL.revokeObjectURL(url);
    studyUrls = [];
    study.hidden = false;
    replace(studyBody, h('p', { class: 'status' }, 'Loading the study…'));
    let image;
    try {
      image = await request(`/v1/images/${imageId}`);
    } catch (e) {
      replace(studyBody, h('p', { class: 'error' }, `Could not open the study: ${/** @type {Error} */ (e).message}`));
      return;
    }
    const triage = image.triage;
    // The stored original when a browser can show it; DICOM is shown through its thumbnail.
    const baseUrl = image.format === 'dicom' ? image.thumbnailUrl : image.originalUrl;
    const viewer = imageViewer(`viewer-${image.id}`, `Image of the study (${image.width}×${image.height})`);
    if (baseUrl) objectUrl(baseUrl).then((url) => (studyUrls.push(url), viewer.showImage(url)), () => undefined);
    if (image.heatmapUrl) {
      viewer.offerHeatmap(async () => {
        const url = await objectUrl(image.heatmapUrl);
        studyUrls.push(url);
        return url;
      });
    }
    const heatmapHint = image.heatmapUrl
      ? h('p', { class: 'hint' }, 'Heatmap: tinted regions lowered the score most when hidden; drawn on the model’s view of the image.')
      : h('p', { class: 'hint' }, 'No heatmap: triage has not finished or the image was unreadable.');
    const issues = /** @type {Array<{ message: string }>} */ (triage?.quality?.issues ?? []);
    const agreementName = `agreement-${image.id}`;
    const form = h(
      'form',
      { class: 'grid-form read-form' },
      h(
        'fieldset',
        { class: 'segmented' },
        h('legend', {}, 'Your read versus the triage priority'),
        [
          ['agree', 'Agree'],
          ['disagree', 'Disagree'],
          ['', 'No opinion'],
        ].map(([value, label]) =>
          h(
            'span',
            { class: 'radio' },
            h('input', { type: 'radio', name: agreementName, id: `${agreementName}-${value || 'none'}`, value, checked: value === '', disabled: !triage && value !== '' }),
            h('label', { for: `${agreementName}-${value || 'none'}` }, label),
          ),
        ),
      ),
      h('label', { for: `comment-${image.id}` }, 'Comment (optional)'),
      (openComment = h('textarea', { id: `comment-${image.id}`, name: 'comment', rows: 2, maxlength: 4000 })),
      h('div', { class: 'form-actions' }, h('button', { type: 'submit' }, 'Mark read')),
      h('p', { class: 'error', role: 'alert' }),
    );
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = new FormData(form);
      const agreement = String(data.get(agreementName) ?? '');
      const comment = String(data.get('comment') ?? '').trim();
      try {
        await request(`/v1/images/${image.id}/read`, { method: 'POST', body: { ...(agreement ? { agreement } : {}), ...(comment ? { comment } : {}) } });
        openComment = null;
        markedRead(image, agreement);
      } catch (e) {
        /** @type {HTMLElement} */ (form.querySelector('.error')).textContent = `Could not record the read: ${/** @type {Error} */ (e).message}`;
      }
    });

    replace(
      studyBody,
      h(
        'div',
        { class: 'study-grid' },
        h(
          'figure',
          { class: 'study-figure' },
          viewer.canvas,
          h('figcaption', {}, `${image.format.toUpperCase()}${image.dicom?.modality ? ` · ${image.dicom.modality}` : ''} · ${image.width}×${image.height} · received ${formatDate(image.receivedAt)}`),
        ),
        h(
          'div',
          {},
          viewer.controls,
          heatmapHint,
          h(
            'dl',
            { class: 'facts' },
            h('dt', {}, 'Indication'),
            h('dd', { class: 'study-indication' }, image.indication ?? 'None given'),
            h('dt', {}, 'Priority'),
            h('dd', {}, triage ? priorityBadge({ priority: triage.priority, status: image.status }) : priorityBadge({ priority: null, status: image.status })),
            h('dt', {}, 'Score'),
            h('dd', {}, triage?.score === null || !triage ? '—' : `${percent(triage.score)}${triage.label ? ` (${triage.label})` : ''} · urgent at ≥ ${percent(triage.threshold)}`),
            h('dt', {}, 'Model'),
            h('dd', {}, triage ? `${triage.modelId} ${triage.modelVersion}` : '—'),
            h('dt', {}, 'Image quality'),
            h('dd', {}, issues.length ? issues.map((i) => i.message).join('; ') : triage ? 'passed the checks' : '—'),
          ),
          h('p', { class: 'notice', role: 'note' }, h('strong', {}, 'Triage aid, not a diagnosis.'), ' Read the image yourself.'),
          form,
        ),
      ),
    );
    study.focus();
  }

  /**
   * Moves the study to this session's read list (with an undo) and opens the next unread one.
   * @param {any} image
   * @param {string} agreement
   */
  function markedRead(image, agreement) {
    const items = [...studies.children];
    const index = items.findIndex((li) => /** @type {HTMLElement} */ (li).dataset.imageId === image.id);
    const item = /** @type {HTMLElement | undefined} */ (items[index]);
    const who = item?.querySelector('.study-text > span')?.textContent ?? 'Study';
    item?.remove();
    updateCount();
    const undo = h('button', { type: 'button', class: 'secondary small' }, 'Undo');
    const entry = h('li', { class: 'read-item', dataset: { imageId: image.id } }, h('span', {}, who, h('span', { class: 'meta' }, ` · ${agreement ? `${agreement === 'agree' ? 'agreed' : 'disagreed'} with the triage` : 'read'}`)), undo);
    undo.addEventListener('click', async () => {
      undo.disabled = true;
      try {
        await request(`/v1/images/${image.id}/read`, { method: 'DELETE' });
        entry.remove();
        readEmpty.hidden = readList.children.length > 0;
        setStatus(status, 'Read undone: the study is back on the worklist.', 'ok');
        await load(true);
        await open(image.id);
      } catch (e) {
        undo.disabled = false;
        setStatus(status, `Could not undo the read: ${/** @type {Error} */ (e).message}`, 'error');
      }
    });
    readList.prepend(entry);
    readEmpty.hidden = true;
    const next = /** @type {HTMLElement | undefined} */ (studies.children[Math.max(0, index)] ?? studies.children[index - 1]);
    if (next?.dataset.imageId) {
      setStatus(status, `Marked read; opened the next study. ${status.textContent}`, 'ok');
      void open(next.dataset.imageId);
    } else {
      replace(studyBody, h('p', { class: 'ok' }, 'Marked read. No unread studies are left.'));
      setStatus(status, `Marked read. ${status.textContent}`, 'ok');
      undo.focus();
    }
  }

  more.addEventListener('click', () => void load(false));
  void load(true);
}
