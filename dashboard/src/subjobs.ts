/**
 * The picture of a job's subjobs: one canvas, one cell per subjob coloured by status, so 10,000 subjobs are 10,000
 * rectangles drawn in a few milliseconds rather than 10,000 elements. A click or Enter on a cell (arrow keys move
 * between cells) shows that subjob; the failed ones are also listed as buttons, one click away.
 */
import type { SubJob, SubJobStatus } from './api.js';
import { SUBJOB_STATUSES } from './api.js';
import { h, replace, badge } from './dom.js';
import { duration } from './format.js';
import { cellOf, gap, indexAt, layout, move, type GridLayout } from './grid.js';

/** The cells' colours, which style.css's badges repeat, distinguishable by people with red-green colour blindness. */
const COLOURS: Record<SubJobStatus, string> = {
  PENDING: '#c8cdd3',
  ASSIGNED: '#93bce8',
  RUNNING: '#2f7fd6',
  SUCCEEDED: '#2a9d6f',
  FAILED: '#d1495b',
  STOPPED: '#8a6f3e',
};
const FOCUS_COLOUR = '#111111';
/** How many failed subjobs are listed as buttons; the picture shows the rest. */
const LISTED_FAILURES = 50;
const TARGET_HEIGHT = 320;

export class SubJobPicture {
  readonly element: HTMLElement;
  private readonly canvas = h('canvas', {
    tabindex: 0, role: 'img', class: 'subjob-canvas', 'aria-label': 'Subjobs coloured by status; arrow keys move, Enter shows one',
  });
  private readonly legend = h('ul', { class: 'legend' });
  private readonly failures = h('div', { class: 'failures' });
  private readonly detail = h('section', { class: 'subjob-detail', 'aria-live': 'polite' });
  private subJobs: SubJob[] = [];
  private grid: GridLayout = layout(0, 1, TARGET_HEIGHT);
  private focus = -1;
  private selected = -1;
  private drawnWidth = -1;
  // Only a change of width redraws: the canvas's own height changes the section's too.
  private readonly resize = new ResizeObserver(() => { if (this.element.clientWidth !== this.drawnWidth) { this.draw(); } });

  constructor() {
    this.element = h('section', { class: 'subjobs' }, h('h2', {}, 'Subjobs'), this.legend, this.canvas, this.failures, this.detail);
    this.canvas.addEventListener('click', (e) => {
      const box = this.canvas.getBoundingClientRect();
      const index = indexAt(this.grid, e.clientX - box.left, e.clientY - box.top);
      if (index >= 0) {
        this.focus = index;
        this.show(index);
      }
    });
    this.canvas.addEventListener('keydown', (e) => {
      if (this.subJobs.length === 0) {
        return;
      }
      if (e.key === 'Enter' || e.key === ' ') {
        this.show(Math.max(0, this.focus));
        e.preventDefault();
        return;
      }
      const next = move(this.grid, Math.max(0, this.focus), e.key);
      if (next !== this.focus || this.focus < 0) {
        this.focus = next;
        this.draw();
        e.preventDefault();
      }
    });
    this.canvas.addEventListener('focus', () => { if (this.focus < 0 && this.subJobs.length) { this.focus = 0; this.draw(); } });
    this.resize.observe(this.element);
  }

  update(subJobs: SubJob[]): void {
    this.subJobs = subJobs;
    this.draw();
    this.renderLegend();
    this.renderFailures();
    if (this.selected >= 0 && this.selected < subJobs.length) {
      this.show(this.selected);
    }
  }

  /** Draws every cell; the time it took is kept on the canvas (data-draw-ms) and as a performance measure. */
  private draw(): void {
    const started = performance.now();
    this.drawnWidth = this.element.clientWidth;
    const width = this.drawnWidth || 600;
    this.grid = layout(this.subJobs.length, width, TARGET_HEIGHT);
    const ratio = window.devicePixelRatio || 1;
    this.canvas.width = Math.max(1, Math.round(this.grid.width * ratio));
    this.canvas.height = Math.max(1, Math.round(this.grid.height * ratio));
    this.canvas.style.width = `${this.grid.width}px`;
    this.canvas.style.height = `${this.grid.height}px`;
    const context = this.canvas.getContext('2d');
    if (!context) {
      return;
    }
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, this.grid.width, this.grid.height);
    const inner = this.grid.cell - gap(this.grid.cell);
    // One fill style per status, set once: the cells of a status are drawn together.
    for (const status of SUBJOB_STATUSES) {
      context.fillStyle = COLOURS[status];
      for (let i = 0; i < this.subJobs.length; i++) {
        if (this.subJobs[i].status === status) {
          const { x, y } = cellOf(this.grid, i);
          context.fillRect(x, y, inner, inner);
        }
      }
    }
    if (this.focus >= 0 && this.focus < this.subJobs.length && document.activeElement === this.canvas) {
      const { x, y } = cellOf(this.grid, this.focus);
      context.strokeStyle = FOCUS_COLOUR;
      context.lineWidth = Math.max(1, Math.min(2, this.grid.cell / 4));
      context.strokeRect(x + 0.5, y + 0.5, Math.max(1, inner - 1), Math.max(1, inner - 1));
    }
    const took = performance.now() - started;
    this.canvas.dataset.drawMs = took.toFixed(2);
    this.canvas.dataset.count = String(this.subJobs.length);
    this.canvas.dataset.cell = String(this.grid.cell);
    this.canvas.dataset.columns = String(this.grid.columns);
    performance.measure('conveyor:subjobs-draw', { start: started, duration: took });
  }

  private renderLegend(): void {
    const counts = new Map<SubJobStatus, number>();
    for (const s of this.subJobs) {
      counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
    }
    replace(this.legend, ...SUBJOB_STATUSES.filter((s) => counts.has(s)).map((s) =>
      h('li', {}, h('span', { class: `swatch status-${s.toLowerCase()}` }), `${s.toLowerCase()} ${counts.get(s)}`)));
  }

  private renderFailures(): void {
    const failed = this.subJobs.filter((s) => s.status === 'FAILED');
    if (failed.length === 0) {
      replace(this.failures);
      return;
    }
    replace(this.failures,
      h('h3', {}, `Failed subjobs (${failed.length})`),
      h('ul', { class: 'failed-list' }, ...failed.slice(0, LISTED_FAILURES).map((s) =>
        h('li', {}, h('button', { type: 'button', class: 'failed-subjob', 'data-index': s.index, onclick: () => this.show(s.index) },
          `#${s.index}`, s.error ? ` ${s.error.code}` : '')))),
      failed.length > LISTED_FAILURES ? h('p', {}, `and ${failed.length - LISTED_FAILURES} more: click their cells`) : null);
  }

  private show(index: number): void {
    const s = this.subJobs[index];
    if (!s) {
      return;
    }
    this.selected = index;
    replace(this.detail,
      h('h3', {}, `Subjob #${s.index} `, badge(s.status)),
      h('dl', {},
        h('dt', {}, 'Attempts'), h('dd', {}, s.attempts ?? 0),
        h('dt', {}, 'Duration'), h('dd', {}, duration(s.durationMillis))),
      s.error ? h('div', { class: 'error subjob-error', role: 'alert' }, h('strong', {}, s.error.code), h('pre', {}, s.error.message)) : null);
    this.draw();
  }

  dispose(): void {
    this.resize.disconnect();
  }
}
