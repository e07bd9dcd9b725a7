/**
 * One job: its status and progress, the picture of its subjobs, its attempts as a timeline, the jobs it depends on,
 * its parameters and inputs; cancel, retry and the result's download. Polls the job while it can still change, and
 * its subjobs whenever the job's progress moved.
 */
import { ACTIVE_STATUSES, ApiError, type Attempt, type Cost, type Job, type WorkerWait } from '../api.js';
import { badge, h, replace, svg } from '../dom.js';
import { bytes, dollars, duration, time } from '../format.js';
import { Poller } from '../live.js';
import { SubJobPicture } from '../subjobs.js';
import { errorBox } from './errors.js';
import type { Context, View } from './view.js';

export function jobView(context: Context, id: string): View {
  const header = h('div', { class: 'title-row' });
  const actions = h('div', { class: 'actions' });
  const message = h('div', { class: 'message', 'aria-live': 'polite' });
  const summary = h('section', { class: 'summary' });
  const picture = new SubJobPicture();
  const attempts = h('section', { class: 'attempts' });
  const dependencies = h('section', { class: 'dependencies' });
  const details = h('section', { class: 'details' });
  const element = h('main', { class: 'job-view' },
    h('p', {}, h('a', { href: '#/jobs' }, '← Jobs')), header, actions, message, summary, picture.element, attempts,
    dependencies, details);

  let shown = '';
  let poller: Poller;

  const refresh = async (): Promise<boolean | 'stop'> => {
    let job: Job;
    let waiting: WorkerWait | undefined;
    try {
      ({ job, waitingForWorkers: waiting } = await context.api.getJob(id));
    } catch (e) {
      if (e instanceof ApiError && (e.status === 404 || e.status === 410)) {
        replace(element, h('p', {}, h('a', { href: '#/jobs' }, '← Jobs')),
          h('h1', {}, e.status === 404 ? 'Job not found' : 'Job expired'), errorBox(e));
        return 'stop';
      }
      replace(message, errorBox(e));
      throw e;
    }
    const fingerprint = JSON.stringify([job.status, job.progress, job.attempts?.length, job.updatedAt, job.resultReady,
      waiting?.subJobs]);
    const changed = fingerprint !== shown;
    if (changed) {
      try {
        render(job, waiting);
        if ((job.progress?.total ?? 0) > 0) {
          picture.update(await context.api.allSubJobs(id));
        }
      } catch (e) {
        replace(message, errorBox(e));
        throw e;
      }
      shown = fingerprint;
    }
    return ACTIVE_STATUSES.includes(job.status) ? changed : 'stop';
  };

  const act = async (what: string, call: () => Promise<unknown>) => {
    replace(message, h('p', {}, `${what}…`));
    try {
      await call();
      replace(message, h('p', { class: 'ok' }, `${what}: done.`));
    } catch (e) {
      replace(message, errorBox(e));
    }
    // A retried job is active again: watch it anew.
    poller.stop();
    poller = new Poller(refresh);
    poller.now();
  };

  const render = (job: Job, waiting: WorkerWait | undefined) => {
    replace(header, h('h1', {}, 'Job ', h('code', { class: 'job-id' }, job.jobId)), h('span', { id: 'job-status' }, badge(job.status)));
    replace(actions,
      ACTIVE_STATUSES.includes(job.status) ? h('button', { type: 'button', id: 'cancel', class: 'danger',
        onclick: () => act('Cancel', () => context.api.cancel(id)) }, 'Cancel') : null,
      job.status === 'FAILED' || job.status === 'CANCELLED' ? h('button', { type: 'button', id: 'retry',
        onclick: () => act('Retry', () => context.api.retry(id)) }, 'Retry') : null,
      job.resultReady ? h('button', { type: 'button', id: 'download', class: 'primary',
        onclick: () => context.api.result(id).then((r) => location.assign(r.url), (e) => replace(message, errorBox(e))) },
      'Download result') : null);
    const p = job.progress ?? {};
    const done = (p.succeeded ?? 0) + (p.failed ?? 0);
    replace(summary,
      h('dl', { class: 'facts' },
        h('dt', {}, 'Program'), h('dd', {}, h('a', { href: `#/jobs?program=${encodeURIComponent(job.program)}` }, job.program)),
        h('dt', {}, 'Progress'), h('dd', {}, p.total
          ? h('span', {}, h('progress', { max: p.total, value: done, id: 'job-progress' }),
            ` ${done} of ${p.total} done: ${p.succeeded ?? 0} succeeded, ${p.failed ?? 0} failed, ${p.running ?? 0} running`)
          : 'not split yet'),
        h('dt', {}, 'Created'), h('dd', {}, time(job.createdAt)),
        h('dt', {}, 'Updated'), h('dd', {}, time(job.updatedAt)),
        job.expiresAt ? h('dt', {}, 'Expires') : null, job.expiresAt ? h('dd', {}, time(job.expiresAt)) : null,
        job.cost ? h('dt', {}, 'Cost') : null, job.cost ? h('dd', { id: 'job-cost' }, costText(job.cost)) : null),
      job.error ? h('div', { class: 'error job-error', role: 'alert' }, h('strong', {}, job.error.code), h('pre', {}, job.error.message)) : null,
      waiting ? h('p', { class: 'notice', id: 'waiting-for-workers', role: 'status' }, waiting.message) : null);
    replace(attempts, h('h2', {}, 'Attempts'), timeline(job.attempts ?? []));
    replace(dependencies, ...(job.dependsOn?.length ? [h('h2', {}, 'Depends on'), dependencyGraph(job)] : []));
    replace(details, h('h2', {}, 'Parameters and inputs'), h('dl', { class: 'facts' },
      ...Object.entries(job.parameters ?? {}).flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
      ...(job.inputs ?? []).flatMap((i) => [h('dt', {}, i.name), h('dd', {}, bytes(i.size), i.contentType ? ` ${i.contentType}` : '')])));
  };

  poller = new Poller(refresh);
  poller.now();
  return { element, dispose: () => { poller.stop(); picture.dispose(); } };
}

/** A job's cost: the total, then each category, and the date of the prices (README, "What a job costs"). */
function costText(cost: Cost): string {
  const parts = [
    ['Step Functions', cost.stepFunctions], ['Lambda', cost.lambda], ['DynamoDB', cost.dynamoDb],
    ['S3 requests', cost.s3Requests], ['S3 storage', cost.s3Storage], ['EventBridge', cost.eventBridge],
  ].map(([name, amount]) => `${name} ${dollars(amount as number | undefined)}`);
  return `${dollars(cost.total)} (${parts.join(', ')})${cost.priceDate ? `, at the prices of ${cost.priceDate}` : ''}`;
}

/** Each attempt as a bar along one time axis, from the first start to the last end (or now). */
function timeline(list: Attempt[]): HTMLElement {
  if (list.length === 0) {
    return h('p', { class: 'empty' }, 'Not started yet.');
  }
  const start = Math.min(...list.map((a) => Date.parse(a.startedAt ?? '') || Date.now()));
  const end = Math.max(...list.map((a) => Date.parse(a.endedAt ?? '') || Date.now()));
  const span = Math.max(1, end - start);
  return h('ol', { class: 'timeline' }, ...list.map((a) => {
    const from = Date.parse(a.startedAt ?? '') || Date.now();
    const to = Date.parse(a.endedAt ?? '') || Date.now();
    const bar = h('span', { class: `bar outcome-${(a.outcome ?? 'running').toLowerCase()}` });
    bar.style.marginLeft = `${((from - start) / span) * 100}%`;
    bar.style.width = `${Math.max(0.5, ((to - from) / span) * 100)}%`;
    return h('li', {},
      h('span', { class: 'label' }, `#${a.number} ${a.outcome ?? 'running'} `, duration(to - from), ' from ', time(a.startedAt)),
      h('span', { class: 'track' }, bar),
      a.error ? h('span', { class: 'attempt-error' }, `${a.error.code}: ${a.error.message}`) : null);
  }));
}

/** The jobs this one waits for, each a box linking to its page, with an arrow to this job. */
function dependencyGraph(job: Job): HTMLElement {
  const deps = job.dependsOn ?? [];
  const rowHeight = 28;
  const height = Math.max(1, deps.length) * rowHeight;
  const graph = svg('svg', { viewBox: `0 0 320 ${height}`, class: 'dependency-graph', role: 'img',
    'aria-label': `Depends on ${deps.length} jobs` });
  deps.forEach((dep, i) => {
    const y = i * rowHeight + 4;
    const link = svg('a', { href: `#/jobs/${encodeURIComponent(dep)}` },
      svg('rect', { x: 2, y, width: 120, height: 20, rx: 4, class: 'node' }),
      svg('text', { x: 10, y: y + 14 }, dep.slice(0, 8)));
    graph.append(link, svg('line', { x1: 122, y1: y + 10, x2: 196, y2: height / 2, class: 'edge' }));
  });
  graph.append(svg('rect', { x: 198, y: height / 2 - 10, width: 120, height: 20, rx: 4, class: 'node self' }),
    svg('text', { x: 206, y: height / 2 + 4 }, job.jobId.slice(0, 8)));
  return h('figure', {}, graph);
}
