/**
 * The programs: their limits, retry and re-registration policy, and the API's statistics of their subjobs over the
 * last window (p50, p95 and longest duration as bars, the error rate as a share).
 */
import type { Program } from '../api.js';
import { h, replace, svg } from '../dom.js';
import { duration, percent } from '../format.js';
import { errorBox } from './errors.js';
import type { Context, View } from './view.js';

export function programsView(context: Context): View {
  const list = h('div', { class: 'programs' }, h('p', {}, 'Loading…'));
  const element = h('main', { class: 'programs-view' }, h('h1', {}, 'Programs'), list);
  context.api.programs().then(({ programs }) => replace(list, ...programs.map(card)), (e) => replace(list, errorBox(e)));
  return { element, dispose: () => undefined };
}

/** A program's limits, policies and last-day statistics; also the head of its own page. */
export function card(p: Program): HTMLElement {
  const r = p.retry ?? {};
  const rr = p.reRegistration ?? {};
  const s = p.statistics ?? {};
  return h('section', { class: 'program', 'data-program': p.name },
    h('h2', {}, h('a', { href: `#/jobs?program=${encodeURIComponent(p.name)}` }, p.name)),
    h('p', {}, h('a', { href: `#/programs/${encodeURIComponent(p.name)}`, class: 'hourly-link' }, 'Hour by hour')),
    h('dl', { class: 'facts' },
      h('dt', {}, 'Concurrency'), h('dd', {}, `${p.maxConcurrency ?? '–'} subjobs at once`),
      h('dt', {}, 'Tolerated failures'), h('dd', {}, `${p.toleratedFailurePercentage ?? 0} %`),
      h('dt', {}, 'Subjob timeout'), h('dd', {}, duration((p.subJobTimeoutSeconds ?? NaN) * 1000)),
      h('dt', {}, 'Retention'), h('dd', {}, p.defaultRetention ?? '–'),
      h('dt', {}, 'Retry'), h('dd', {}, `${r.maxAttempts ?? 0} attempts, every ${r.intervalSeconds ?? 0} s × ${r.backoffRate ?? 1}`
        + ` up to ${r.maxDelaySeconds ?? '–'} s, ${(r.jitter ?? 'no').toLowerCase()} jitter`),
      h('dt', {}, 'Re-registration'), h('dd', {}, `${rr.maxAttempts ?? 0} times, after ${rr.delaySeconds ?? 0} s`)),
    h('h3', {}, `Subjobs in the last ${(s.window ?? '').replace(/^PT/, '').toLowerCase() || 'window'}: ${s.subJobs ?? 0}`),
    (s.subJobs ?? 0) > 0 ? durationChart(s.p50Millis, s.p95Millis, s.maxMillis) : h('p', { class: 'empty' }, 'No subjob ran in this window.'),
    (s.subJobs ?? 0) > 0 ? errorRateChart(s.errorRate ?? 0) : null);
}

/** p50, p95 and max durations as horizontal bars on one scale (the longest fills the width). */
function durationChart(p50?: number, p95?: number, max?: number): HTMLElement {
  const bars: [string, number | undefined][] = [['p50', p50], ['p95', p95], ['max', max]];
  const top = Math.max(1, ...bars.map(([, v]) => v ?? 0));
  const chart = svg('svg', { viewBox: '0 0 300 66', class: 'chart', role: 'img',
    'aria-label': `Subjob durations: p50 ${duration(p50)}, p95 ${duration(p95)}, max ${duration(max)}` });
  bars.forEach(([label, value], i) => {
    const y = i * 22;
    chart.append(svg('text', { x: 0, y: y + 14 }, label),
      svg('rect', { x: 36, y: y + 3, width: Math.max(1, ((value ?? 0) / top) * 170), height: 14, class: `bar ${label}` }),
      svg('text', { x: 212, y: y + 14 }, duration(value)));
  });
  return h('figure', {}, chart);
}

function errorRateChart(rate: number): HTMLElement {
  const chart = svg('svg', { viewBox: '0 0 300 22', class: 'chart', role: 'img', 'aria-label': `Error rate ${percent(rate)}` },
    svg('text', { x: 0, y: 14 }, 'errors'),
    svg('rect', { x: 36, y: 3, width: 170, height: 14, class: 'track' }),
    svg('rect', { x: 36, y: 3, width: Math.max(0, Math.min(1, rate)) * 170, height: 14, class: 'bar errors' }),
    svg('text', { x: 212, y: 14 }, percent(rate)));
  return h('figure', {}, chart);
}
