/**
 * How the dashboard names what ran a subjob's attempt and what a worker holds: plain functions of the API's answers,
 * shared by the workers page and the job page (and tested without a browser).
 */
import type { SubJobRun, Worker } from './api.js';

/** A worker as people know it: its name, else the start of its id. */
export function workerLabel(id: string, name?: string): string {
  return name ? `${name} (${id.slice(0, 8)})` : id.slice(0, 8);
}

/** What ran an attempt, in a few words: "worker gpu-box-1 (4f2a…)" or "function RunSubJob → word-count". */
export function runnerLabel(run: SubJobRun): string {
  if (run.kind === 'WORKER') {
    return `worker ${workerLabel(run.workerId ?? '', run.workerName)}`;
  }
  return `function ${run.function ?? '?'}${run.programFunction ? ` → ${run.programFunction}` : ''}`;
}

/** A subjob a worker holds as "job#index", with the job id's first 8 characters. */
export function heldLabel(held: { jobId: string; index: number }): string {
  return `${held.jobId.slice(0, 8)}#${held.index}`;
}

/** Alive workers first, then by name (or id): the ones to look at on top. */
export function sortWorkers(workers: Worker[]): Worker[] {
  return [...workers].sort((a, b) => (a.health === b.health ? 0 : a.health === 'ALIVE' ? -1 : 1)
    || (a.name ?? a.workerId).localeCompare(b.name ?? b.workerId));
}
