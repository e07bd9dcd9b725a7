/**
 * The caller's jobs, newest first, filtered by status and program, a page at a time, kept up to date by polling the
 * page being looked at. The filters live in the address (#/jobs?status=FAILED&program=primes), so a filtered list
 * can be bookmarked and the back button works.
 */
import { JOB_STATUSES, type Job } from '../api.js';
import { badge, h, replace } from '../dom.js';
import { time } from '../format.js';
import { Poller } from '../live.js';
import { errorBox } from './errors.js';
import type { Context, View } from './view.js';

const PAGE_SIZE = 25;

export function jobsView(context: Context, query: URLSearchParams): View {
  const status = query.get('status') ?? '';
  const program = query.get('program') ?? '';
  /** The tokens of the pages before the one shown, for "Newer". */
  const tokens: (string | undefined)[] = [];
  let token: string | undefined;
  let nextToken: string | undefined;
  let shown = '';

  const statusSelect = h('select', { id: 'filter-status', name: 'status' },
    h('option', { value: '' }, 'any status'), ...JOB_STATUSES.map((s) => h('option', { value: s, selected: s === status }, s)));
  const programSelect = h('select', { id: 'filter-program', name: 'program' },
    h('option', { value: '' }, 'any program'), ...(program ? [h('option', { value: program, selected: true }, program)] : []));
  const filters = h('form', { class: 'filters', onsubmit: (e: Event) => e.preventDefault() },
    h('label', { for: 'filter-status' }, 'Status'), statusSelect,
    h('label', { for: 'filter-program' }, 'Program'), programSelect);
  const onFilter = () => {
    const q = new URLSearchParams();
    if (statusSelect.value) { q.set('status', statusSelect.value); }
    if (programSelect.value) { q.set('program', programSelect.value); }
    context.navigate(`#/jobs${q.size ? `?${q}` : ''}`);
  };
  statusSelect.addEventListener('change', onFilter);
  programSelect.addEventListener('change', onFilter);
  context.api.programs().then(({ programs }) => {
    for (const p of programs) {
      if (p.name !== program) {
        programSelect.append(h('option', { value: p.name }, p.name));
      }
    }
  }, () => { /* the list still works unfiltered; the table shows the API's error */ });

  const table = h('div', { class: 'table-wrap' });
  const message = h('div', { class: 'message' });
  const newer = h('button', { type: 'button', disabled: true }, '← Newer');
  const older = h('button', { type: 'button', disabled: true }, 'Older →');
  const element = h('main', { class: 'jobs-view' },
    h('div', { class: 'title-row' }, h('h1', {}, 'Jobs'), h('a', { class: 'button primary', href: '#/new' }, 'New job')),
    filters, message, table, h('nav', { class: 'pager', 'aria-label': 'Pages' }, newer, older));

  const refresh = async (): Promise<boolean> => {
    try {
      const page = await context.api.listJobs({ status, program, nextToken: token, limit: PAGE_SIZE });
      replace(message);
      nextToken = page.nextToken;
      newer.disabled = tokens.length === 0;
      older.disabled = !nextToken;
      const fingerprint = JSON.stringify(page.jobs.map((j) => [j.jobId, j.status, j.progress, j.updatedAt]));
      if (fingerprint === shown) {
        return false;
      }
      shown = fingerprint;
      replace(table, page.jobs.length === 0 ? h('p', { class: 'empty' }, status || program
        ? 'No job matches these filters.' : 'No jobs yet: start one with New job.') : jobTable(page.jobs));
      return true;
    } catch (e) {
      replace(message, errorBox(e));
      throw e;
    }
  };
  const poller = new Poller(refresh, 2000, 15000);
  older.addEventListener('click', () => { tokens.push(token); token = nextToken; shown = ''; poller.now(); });
  newer.addEventListener('click', () => { token = tokens.pop(); shown = ''; poller.now(); });
  poller.now();
  return { element, dispose: () => poller.stop() };
}

function jobTable(jobs: Job[]): HTMLElement {
  return h('table', { class: 'jobs' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Job'), h('th', { scope: 'col' }, 'Program'),
      h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Progress'), h('th', { scope: 'col', class: 'wide' }, 'Created'))),
    h('tbody', {}, ...jobs.map((job) => {
      const p = job.progress ?? {};
      const done = (p.succeeded ?? 0) + (p.failed ?? 0);
      return h('tr', { 'data-job-id': job.jobId },
        h('td', {}, h('a', { href: `#/jobs/${encodeURIComponent(job.jobId)}`, title: job.jobId }, job.jobId.slice(0, 8))),
        h('td', {}, job.program),
        h('td', {}, badge(job.status)),
        h('td', {}, p.total ? h('progress', { max: p.total, value: done, 'aria-label': `${done} of ${p.total} subjobs done` }) : '',
          p.total ? ` ${done}/${p.total}` : ''),
        h('td', { class: 'wide' }, time(job.createdAt)));
    })));
}
