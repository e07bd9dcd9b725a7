/**
 * The job API over HTTP (functions/src/main/resources/openapi.yaml), as the signed-in user. Every failure is an
 * {@link ApiError} carrying the API's code and message, which the views show as they are: the message says what
 * to change.
 */

import type { HourStatistics } from './hourly.js';
import type { ParameterSchema } from './paramschema.js';

export type JobStatus = 'CREATED' | 'QUEUED' | 'RUNNING' | 'RETRY_WAITING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
export const JOB_STATUSES: readonly JobStatus[] =
  ['CREATED', 'QUEUED', 'RUNNING', 'RETRY_WAITING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
/** The statuses a job can still leave by itself: a cancel applies, and views keep polling. */
export const ACTIVE_STATUSES: readonly JobStatus[] = ['CREATED', 'QUEUED', 'RUNNING', 'RETRY_WAITING'];

/** ASSIGNED: taken with the rest of its batch by a worker invocation, waiting its turn there (openapi.yaml). */
export type SubJobStatus = 'PENDING' | 'ASSIGNED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'STOPPED';
export const SUBJOB_STATUSES: readonly SubJobStatus[] = ['PENDING', 'ASSIGNED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'STOPPED'];

export interface ErrorBody { code: string; message: string }

export interface Attempt {
  number: number;
  startedAt?: string;
  endedAt?: string;
  outcome?: 'SUCCEEDED' | 'FAILED' | 'REREGISTERED' | 'CANCELLED';
  error?: ErrorBody;
}

/** Subjobs of an active job waiting for an external worker: how many, what a worker needs, and what to do. */
export interface WorkerWait { subJobs: number; capabilities: string[]; message: string }

export interface Job {
  jobId: string;
  program: string;
  status: JobStatus;
  parameters?: Record<string, string>;
  inputs?: { name: string; size: number; contentType?: string; sha256?: string }[];
  dependsOn?: string[];
  progress?: { total?: number; running?: number; succeeded?: number; failed?: number };
  attempts?: Attempt[];
  error?: ErrorBody;
  resultReady?: boolean;
  createdAt?: string;
  updatedAt?: string;
  retention?: string;
  expiresAt?: string;
  cost?: Cost;
}

/** A usage priced at the deployment's price table, in US dollars; `priceDate` is when the prices were read. */
export interface Cost {
  total: number;
  stepFunctions?: number;
  lambda?: number;
  dynamoDb?: number;
  s3Requests?: number;
  s3Storage?: number;
  eventBridge?: number;
  priceDate?: string;
}

export interface PresignedPut { method: string; url: string; headers: Record<string, string> }
export interface PartUpload extends PresignedPut { partNumber: number; size: number }
export interface Upload {
  name: string;
  method?: string;
  url?: string;
  headers?: Record<string, string>;
  expiresAt: string;
  multipart?: { partSize: number; partCount: number; missingParts: number[]; parts: PartUpload[] };
}

/** What ran one attempt of a subjob: a function of the deployment, or an external worker. */
export interface SubJobRun {
  attempt: number;
  kind: 'FUNCTION' | 'WORKER';
  function?: string;
  programFunction?: string;
  workerId?: string;
  workerName?: string;
}
export interface SubJob {
  index: number;
  status: SubJobStatus;
  attempts?: number;
  durationMillis?: number;
  error?: ErrorBody;
  runs?: SubJobRun[];
}
/** One of the caller's external workers (GET /workers). */
export interface Worker {
  workerId: string;
  name?: string;
  programs?: string[];
  capabilities?: string[];
  health: 'ALIVE' | 'DEAD';
  lastCallAt?: string;
  deadline?: string;
  registeredAt?: string;
  holds?: { jobId: string; attempt: number; index: number }[];
}

export interface Program {
  name: string;
  maxConcurrency?: number;
  toleratedFailurePercentage?: number;
  subJobTimeoutSeconds?: number;
  defaultRetention?: string;
  retry?: { intervalSeconds?: number; backoffRate?: number; maxDelaySeconds?: number; jitter?: string; maxAttempts?: number };
  reRegistration?: { delaySeconds?: number; maxAttempts?: number };
  statistics?: { window?: string; subJobs?: number; p50Millis?: number; p95Millis?: number; maxMillis?: number; errorRate?: number };
  /** The parameters it declares (a JSON Schema subset); absent when it declares none. */
  parameters?: ParameterSchema;
}

export interface NewJob {
  program: string;
  parameters: Record<string, string | number | boolean>;
  inputs: { name: string; size: number; contentType?: string }[];
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

/** The largest page of subjobs the API gives (openapi.yaml: limit 1-1000). */
const SUBJOB_PAGE = 1000;

export class Api {
  /**
   * @param base the API's base URL without a trailing slash; empty for the page's own origin
   * @param authorization the value of the Authorization header, read for every request (a token may be renewed)
   */
  constructor(private readonly base: string, private readonly authorization: () => string) {}

  listJobs(filter: { status?: string; program?: string; nextToken?: string; limit?: number }):
      Promise<{ jobs: Job[]; nextToken?: string }> {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(filter)) {
      if (value !== undefined && value !== '') {
        query.set(name, String(value));
      }
    }
    return this.request('GET', `/jobs${query.size ? `?${query}` : ''}`);
  }

  /**
   * A job, and why it waits when its subjobs wait for external workers; the API also answers with fresh upload URLs,
   * which the pages do not need once a job is created.
   */
  async getJob(id: string): Promise<{ job: Job; waitingForWorkers?: WorkerWait }> {
    const { job, waitingForWorkers } = await this.request<{ job: Job; uploads: Upload[]; waitingForWorkers?: WorkerWait }>(
      'GET', `/jobs/${encodeURIComponent(id)}`);
    return { job, waitingForWorkers };
  }

  /** Every subjob of a job, in index order, reading page after page. */
  async allSubJobs(id: string): Promise<SubJob[]> {
    const all: SubJob[] = [];
    let nextToken: string | undefined;
    do {
      const query = new URLSearchParams({ limit: String(SUBJOB_PAGE) });
      if (nextToken) {
        query.set('nextToken', nextToken);
      }
      const page: { subJobs: SubJob[]; nextToken?: string } =
        await this.request('GET', `/jobs/${encodeURIComponent(id)}/subjobs?${query}`);
      all.push(...page.subJobs);
      nextToken = page.nextToken;
    } while (nextToken);
    return all;
  }

  cancel(id: string): Promise<Job> {
    return this.request('DELETE', `/jobs/${encodeURIComponent(id)}`);
  }

  retry(id: string): Promise<Job> {
    return this.request('POST', `/jobs/${encodeURIComponent(id)}/retry`);
  }

  submit(id: string): Promise<Job> {
    return this.request('POST', `/jobs/${encodeURIComponent(id)}/submit`);
  }

  result(id: string): Promise<{ url: string; expiresAt: string }> {
    return this.request('GET', `/jobs/${encodeURIComponent(id)}/result`);
  }

  programs(): Promise<{ programs: Program[] }> {
    return this.request('GET', '/programs');
  }

  program(name: string): Promise<Program> {
    return this.request('GET', `/programs/${encodeURIComponent(name)}`);
  }

  /** The program's subjob statistics for every hour of the last day. */
  programStatistics(name: string): Promise<{ program: string; from: string; to: string; hours: HourStatistics[] }> {
    return this.request('GET', `/programs/${encodeURIComponent(name)}/statistics`);
  }

  /** The caller's external workers, only theirs. */
  workers(): Promise<{ workers: Worker[] }> {
    return this.request('GET', '/workers');
  }

  /**
   * Creates a job whose inputs are uploaded afterwards; the key makes a repeat of this create (a retried request)
   * return the same job instead of a second one.
   */
  create(job: NewJob, idempotencyKey: string): Promise<{ job: Job; uploads: Upload[] }> {
    return this.request('POST', '/jobs', job, { 'Idempotency-Key': idempotencyKey });
  }

  private async request<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    let response: Response;
    try {
      response = await fetch(this.base + path, {
        method,
        headers: {
          Authorization: this.authorization(),
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch (e) {
      throw new ApiError(0, 'Unreachable', `The API at ${this.base || location.origin} did not answer: ${String(e)}`);
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (a proxy's error page): reported below by status.
    }
    if (!response.ok) {
      const error = parsed as Partial<ErrorBody> | undefined;
      throw new ApiError(response.status, error?.code ?? `HTTP${response.status}`,
        error?.message ?? `${method} ${path} answered ${response.status} ${response.statusText}`);
    }
    return parsed as T;
  }
}

/**
 * Sends a file's bytes to a presigned URL, reporting the bytes sent. XMLHttpRequest rather than fetch: only it
 * reports an upload's progress. The headers the API signed are sent as given, except those the browser sets itself
 * from the body (Content-Length) or the URL (Host), which a page may not set.
 */
export function put(target: PresignedPut, body: Blob, onProgress: (sent: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(target.method, target.url);
    for (const [name, value] of Object.entries(target.headers)) {
      if (!/^(content-length|host)$/i.test(name)) {
        xhr.setRequestHeader(name, value);
      }
    }
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve()
      : reject(new ApiError(xhr.status, 'UploadRefused', `The storage refused the upload (${xhr.status}): ${xhr.responseText.slice(0, 300)}`)));
    xhr.onerror = () => reject(new ApiError(0, 'UploadFailed', 'The upload did not reach the storage (network error or CORS)'));
    xhr.send(body);
  });
}
