// @ts-check
/**
 * A study viewer on a canvas: zoom (slider, wheel, + and −), pan (drag or the arrow keys), window/level on the
 * grey values, and the triage heatmap blended over the image at a chosen opacity. Works on already decoded
 * images (blob: URLs from this origin, so the canvas can read its pixels).
 */
import { h } from './dom.js';

const SIZE = 512;

/**
 * @param {HTMLImageElement} image
 * @returns {Promise<HTMLImageElement>}
 */
const loaded = (image) => (image.complete && image.naturalWidth ? Promise.resolve(image) : image.decode().then(() => image));

/**
 * @param {string} id the prefix for the controls' ids
 * @param {string} label what the image is, for people who cannot see it
 */
export function imageViewer(id, label) {
  const canvas = h('canvas', {
    class: 'viewer-canvas',
    width: SIZE,
    height: SIZE,
    tabindex: '0',
    role: 'img',
    'aria-label': `${label}. Drag or use the arrow keys to pan; plus and minus zoom.`,
  });
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d'));
  /** The image after window/level, at its own size. */
  const windowed = document.createElement('canvas');
  /** @type {ImageData | null} */
  let source = null;
  /** @type {HTMLImageElement | null} */
  let heatmap = null;
  const view = { zoom: 1, x: 0, y: 0, width: 255, level: 128, opacity: 0.4, heatmapOn: false };

  /**
   * @param {string} name
   * @param {string} text
   * @param {{ min: number, max: number, step: number, value: number }} range
   * @param {(value: number) => void} onInput
   * @param {(value: number) => string} format
   */
  function slider(name, text, range, onInput, format) {
    const input = h('input', { type: 'range', id: `${id}-${name}`, min: range.min, max: range.max, step: range.step, value: range.value });
    const output = h('output', { for: `${id}-${name}`, class: 'slider-value' }, format(range.value));
    input.addEventListener('input', () => {
      onInput(Number(input.value));
      output.textContent = format(Number(input.value));
      draw();
    });
    return { input, element: h('div', { class: 'slider' }, h('label', { for: `${id}-${name}` }, text), input, output) };
  }

  const zoom = slider('zoom', 'Zoom', { min: 1, max: 8, step: 0.25, value: 1 }, (v) => (view.zoom = v), (v) => `${Math.round(v * 100)}%`);
  const width = slider('window', 'Window width', { min: 1, max: 255, step: 1, value: 255 }, (v) => ((view.width = v), applyWindow()), String);
  const level = slider('level', 'Window level', { min: 0, max: 255, step: 1, value: 128 }, (v) => ((view.level = v), applyWindow()), String);
  const opacity = slider('opacity', 'Heatmap opacity', { min: 0, max: 100, step: 5, value: 40 }, (v) => (view.opacity = v / 100), (v) => `${v}%`);
  opacity.input.disabled = true;
  const heatmapToggle = h('input', { type: 'checkbox', id: `${id}-heatmap`, disabled: true });
  heatmapToggle.addEventListener('change', () => {
    view.heatmapOn = heatmapToggle.checked;
    opacity.input.disabled = !view.heatmapOn;
    draw();
  });

  /** @param {number} value */
  const setZoom = (value) => {
    view.zoom = Math.min(8, Math.max(1, value));
    zoom.input.value = String(view.zoom);
    zoom.input.dispatchEvent(new Event('input'));
  };

  function reset() {
    Object.assign(view, { zoom: 1, x: 0, y: 0, width: 255, level: 128 });
    for (const [s, v] of /** @type {const} */ ([[zoom, 1], [width, 255], [level, 128]])) {
      s.input.value = String(v);
      s.input.dispatchEvent(new Event('input'));
    }
  }

  /** Maps grey values through the window: level − width/2 is black, level + width/2 is white. */
  function applyWindow() {
    if (!source) return;
    const out = new ImageData(source.width, source.height);
    const low = view.level - view.width / 2;
    const lut = new Uint8ClampedArray(256);
    for (let v = 0; v < 256; v++) lut[v] = ((v - low) / view.width) * 255;
    const from = source.data;
    const to = out.data;
    for (let i = 0; i < from.length; i += 4) {
      const grey = lut[Math.round(0.299 * /** @type {number} */ (from[i]) + 0.587 * /** @type {number} */ (from[i + 1]) + 0.114 * /** @type {number} */ (from[i + 2]))];
      to[i] = to[i + 1] = to[i + 2] = /** @type {number} */ (grey);
      to[i + 3] = 255;
    }
    /** @type {CanvasRenderingContext2D} */ (windowed.getContext('2d')).putImageData(out, 0, 0);
  }

  function draw() {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, SIZE, SIZE);
    if (!source) return;
    // Fit the image into the square, then zoom about the centre and pan.
    const fit = Math.min(SIZE / source.width, SIZE / source.height);
    const w = source.width * fit;
    const hgt = source.height * fit;
    ctx.setTransform(view.zoom, 0, 0, view.zoom, SIZE / 2 + view.x, SIZE / 2 + view.y);
    ctx.imageSmoothingEnabled = view.zoom < 3;
    ctx.drawImage(windowed, -w / 2, -hgt / 2, w, hgt);
    if (heatmap && view.heatmapOn && view.opacity > 0) {
      ctx.globalAlpha = view.opacity;
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(heatmap, -w / 2, -hgt / 2, w, hgt);
      ctx.globalAlpha = 1;
    }
  }

  /**
   * @param {number} dx
   * @param {number} dy
   */
  function pan(dx, dy) {
    const limit = (SIZE / 2) * view.zoom;
    view.x = Math.max(-limit, Math.min(limit, view.x + dx));
    view.y = Math.max(-limit, Math.min(limit, view.y + dy));
    draw();
  }

  /** @type {{ x: number, y: number } | null} */
  let drag = null;
  canvas.addEventListener('pointerdown', (e) => {
    drag = { x: e.clientX, y: e.clientY };
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const scale = SIZE / canvas.getBoundingClientRect().width;
    pan((e.clientX - drag.x) * scale, (e.clientY - drag.y) * scale);
    drag = { x: e.clientX, y: e.clientY };
  });
  canvas.addEventListener('pointerup', () => (drag = null));
  canvas.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      setZoom(view.zoom * (e.deltaY < 0 ? 1.25 : 0.8));
    },
    { passive: false },
  );
  canvas.addEventListener('keydown', (e) => {
    const step = 24;
    /** @type {Record<string, () => void>} */
    const keys = {
      ArrowLeft: () => pan(step, 0),
      ArrowRight: () => pan(-step, 0),
      ArrowUp: () => pan(0, step),
      ArrowDown: () => pan(0, -step),
      '+': () => setZoom(view.zoom * 1.25),
      '=': () => setZoom(view.zoom * 1.25),
      '-': () => setZoom(view.zoom * 0.8),
      '0': reset,
    };
    const action = keys[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  });

  draw();
  return {
    canvas,
    controls: h(
      'div',
      { class: 'viewer-controls' },
      zoom.element,
      width.element,
      level.element,
      h('div', { class: 'toggle' }, heatmapToggle, h('label', { for: `${id}-heatmap` }, 'Show heatmap overlay')),
      opacity.element,
      h('button', { type: 'button', class: 'secondary small', onclick: reset }, 'Reset view'),
    ),
    /**
     * Shows an image (an object URL).
     * @param {string} url
     */
    async showImage(url) {
      const image = await loaded(h('img', { src: url, alt: '' }));
      windowed.width = image.naturalWidth;
      windowed.height = image.naturalHeight;
      const scratch = /** @type {CanvasRenderingContext2D} */ (windowed.getContext('2d', { willReadFrequently: true }));
      scratch.drawImage(image, 0, 0);
      source = scratch.getImageData(0, 0, image.naturalWidth, image.naturalHeight);
      applyWindow();
      draw();
      canvas.dataset.ready = 'true';
    },
    /**
     * Makes the heatmap available (an object URL, loaded when first shown).
     * @param {() => Promise<string>} fetchUrl
     */
    offerHeatmap(fetchUrl) {
      heatmapToggle.disabled = false;
      heatmapToggle.addEventListener('change', async () => {
        if (!heatmapToggle.checked || heatmap) return;
        heatmap = await loaded(h('img', { src: await fetchUrl(), alt: '' }));
        canvas.dataset.heatmap = 'loaded';
        draw();
      });
    },
  };
}
