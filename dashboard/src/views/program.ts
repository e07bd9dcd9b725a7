/**
 * One program: its limits and policies (the card of the programs page), and its last day hour by hour as two charts
 * on one time axis, subjob duration p50 and p95, and the error rate. The charts are one focusable group: arrow keys
 * (Home, End) or a click choose an hour, whose figures the readout says in words.
 */
import { h, replace, svg } from '../dom.js';
import { duration, percent } from '../format.js';
import { describe, durationLines, errorBars, frame, hourLabel, indexAt, slot, step, type Frame, type HourStatistics }
  from '../hourly.js';
import { errorBox } from './errors.js';
import { card } from './programs.js';
import type { Context, View } from './view.js';

const WIDTH = 480;

export function programView(context: Context, name: string): View {
  const facts = h('div', {}, h('p', {}, 'Loading…'));
  const hourly = h('div', { class: 'hourly' }, h('p', {}, 'Loading…'));
  const element = h('main', { class: 'program-view' }, h('p', {}, h('a', { href: '#/programs' }, '← Programs')),
    h('h1', {}, name), facts, h('h2', {}, 'The last 24 hours, hour by hour'), hourly);
  context.api.program(name).then((p) => replace(facts, card(p)), (e) => replace(facts, errorBox(e)));
  context.api.programStatistics(name).then(({ hours }) => replace(hourly, charts(hours)), (e) => replace(hourly, errorBox(e)));
  return { element, dispose: () => undefined };
}

function charts(hours: HourStatistics[]): HTMLElement {
  if (!hours.some((hour) => hour.subJobs > 0)) {
    return h('p', { class: 'empty' }, 'No subjob ended in these hours.');
  }
  const durations = frame(WIDTH, 180);
  const errors = frame(WIDTH, 110);
  const lines = durationLines(hours, durations);
  const durationChart = svg('svg', { viewBox: `0 0 ${WIDTH} ${durations.height}`, class: 'chart hourly-chart durations',
    role: 'img', 'aria-label': `Subjob duration p50 and p95 per hour, up to ${duration(lines.topMillis)}` },
    ...axes(durations, duration(lines.topMillis), '0', hours),
    ...lines.p95.map((points) => svg('polyline', { points, class: 'line p95' })),
    ...lines.p50.map((points) => svg('polyline', { points, class: 'line p50' })),
    ...lines.points.flatMap((p) => [svg('circle', { cx: p.x, cy: p.p95, r: 2.5, class: 'dot p95' }),
      svg('circle', { cx: p.x, cy: p.p50, r: 2.5, class: 'dot p50' })]),
    svg('text', { x: durations.left + 8, y: durations.top + 10, class: 'legend p95' }, '- - p95'),
    svg('text', { x: durations.left + 58, y: durations.top + 10, class: 'legend p50' }, '— p50'));
  const rates = errorBars(hours, errors);
  const errorChart = svg('svg', { viewBox: `0 0 ${WIDTH} ${errors.height}`, class: 'chart hourly-chart errors', role: 'img',
    'aria-label': `Error rate per hour, up to ${percent(rates.topRate)}` },
    ...axes(errors, percent(rates.topRate), '0 %', hours),
    ...rates.bars.map((b) => svg('rect', { x: b.x, y: b.y, width: b.width, height: b.height, class: 'bar errors',
      'data-hour': hours[b.index].hour })));
  const cursors = [cursor(durationChart, durations), cursor(errorChart, errors)];
  const readout = h('p', { class: 'readout', 'aria-live': 'polite' });
  const group = h('figure', { class: 'hourly-charts', tabindex: 0, role: 'group',
    'aria-label': 'Hour by hour; arrow keys, Home and End choose an hour' },
    h('figcaption', {}, 'Subjob duration (hours in UTC)'), durationChart, h('figcaption', {}, 'Error rate'), errorChart, readout);

  // The latest hour in which subjobs ended: the current one may have none yet.
  let selected = hours.map((hour) => hour.subJobs > 0).lastIndexOf(true);
  const select = (index: number) => {
    selected = index;
    cursors.forEach(([rect, f]) => {
      const { x, band } = slot(f, index, hours.length);
      rect.setAttribute('x', String(x - band / 2));
      rect.setAttribute('width', String(band));
    });
    replace(readout, describe(hours[index]));
    group.dataset.hour = hours[index].hour;
  };
  group.addEventListener('keydown', (e) => {
    const next = step(selected, e.key, hours.length);
    if (next !== null) {
      e.preventDefault();
      select(next);
    }
  });
  for (const [chart, f] of [[durationChart, durations], [errorChart, errors]] as const) {
    chart.addEventListener('click', (e) => {
      const box = chart.getBoundingClientRect();
      select(indexAt(f, hours.length, ((e as MouseEvent).clientX - box.left) * (WIDTH / box.width)));
    });
  }
  select(selected);
  return group;
}

/** The scale's top and bottom on the left, and the first, middle and last hours below. */
function axes(f: Frame, top: string, bottom: string, hours: HourStatistics[]): SVGElement[] {
  const labels = [0, Math.floor(hours.length / 2), hours.length - 1].map((i) => svg('text',
    { x: slot(f, i, hours.length).x, y: f.height - 4, 'text-anchor': 'middle' }, hourLabel(hours[i].hour).replace(' UTC', '')));
  return [
    svg('line', { x1: f.left, y1: f.bottom, x2: f.right, y2: f.bottom, class: 'axis' }),
    svg('line', { x1: f.left, y1: f.top, x2: f.left, y2: f.bottom, class: 'axis' }),
    svg('text', { x: f.left - 4, y: f.top + 8, 'text-anchor': 'end' }, top),
    svg('text', { x: f.left - 4, y: f.bottom, 'text-anchor': 'end' }, bottom),
    ...labels,
  ];
}

/** The band marking the chosen hour, drawn first so the data stays on top. */
function cursor(chart: SVGElement, f: Frame): [SVGElement, Frame] {
  const rect = svg('rect', { x: 0, y: f.top, width: 0, height: f.bottom - f.top, class: 'cursor' });
  chart.insertBefore(rect, chart.firstChild);
  return [rect, f];
}
