/**
 * The caller's external workers: health (alive, or dead once a worker missed its registration deadline), last call,
 * capabilities and the subjobs each holds, each a link to its job. Kept up to date by polling with backoff.
 */
import type { Worker } from '../api.js';
import { badge, h, replace } from '../dom.js';
import { time } from '../format.js';
import { Poller } from '../live.js';
import { heldLabel, sortWorkers, workerLabel } from '../workers.js';
import { errorBox } from './errors.js';
import type { Context, View } from './view.js';

export function workersView(context: Context): View {
  const table = h('div', { class: 'table-wrap' }, h('p', {}, 'Loading…'));
  const message = h('div', { class: 'message' });
  const element = h('main', { class: 'workers-view' }, h('h1', {}, 'Workers'),
    h('p', { class: 'hint' }, 'Machines registered with conveyor worker to run subjobs of programs whose worker is external.'),
    message, table);
  let shown = '';
  const refresh = async (): Promise<boolean> => {
    try {
      const { workers } = await context.api.workers();
      replace(message);
      const fingerprint = JSON.stringify(workers);
      if (fingerprint === shown) {
        return false;
      }
      shown = fingerprint;
      replace(table, workers.length === 0
        ? h('p', { class: 'empty' }, 'No workers registered: start one with conveyor worker --program NAME -- COMMAND.')
        : workerTable(sortWorkers(workers)));
      return true;
    } catch (e) {
      replace(message, errorBox(e));
      throw e;
    }
  };
  const poller = new Poller(refresh, 2000, 15000);
  poller.now();
  return { element, dispose: () => poller.stop() };
}

function workerTable(workers: Worker[]): HTMLElement {
  return h('table', { class: 'workers' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Worker'), h('th', { scope: 'col' }, 'Health'),
      h('th', { scope: 'col' }, 'Last call'), h('th', { scope: 'col', class: 'wide' }, 'Capabilities'),
      h('th', { scope: 'col' }, 'Holds'))),
    h('tbody', {}, ...workers.map((w) => h('tr', { 'data-worker-id': w.workerId },
      h('td', { title: w.workerId }, workerLabel(w.workerId, w.name)),
      h('td', {}, badge(w.health)),
      h('td', {}, time(w.lastCallAt)),
      h('td', { class: 'wide' }, (w.capabilities ?? []).join(', ') || '–'),
      h('td', { class: 'holds' }, ...holdings(w))))));
}

/** Each subjob the worker holds as a link to its job, or a dash. */
function holdings(w: Worker): (HTMLElement | string)[] {
  const held = w.holds ?? [];
  return held.length === 0 ? ['–'] : held.map((s) => h('a', { href: `#/jobs/${encodeURIComponent(s.jobId)}`, class: 'held',
    title: `${s.jobId} subjob ${s.index}` }, heldLabel(s)));
}
