// Benchmark driver for the npm interpreter aws-local-stepfunctions (3.0.0, needs Node >= 22).
// Not a test: io.conveyor.asl.conformance.Benchmark runs it (see local/README.md, "Benchmark").
//
//   node npm-sfn-driver.mjs <npm prefix with node_modules/aws-local-stepfunctions> <request.json>
//
// request.json: {"mode": "check" | "measure", "rounds": N, "warmupRounds": W, "concurrency": 256, "mapItems": 10000,
//                "cases": [{"name", "definition", "input", "lambdas", "expected", "compare"}]}
// check:   runs every case once; per case: whether the definition is accepted and the result is the
//          AWS-recorded one (status, and output or error name), and how many states it entered.
// measure: `warmupRounds` warm-up rounds, then `rounds` rounds of every case (at most `concurrency` executions at once,
//          round by round in case order, as the Java side does), then an inline Map over `mapItems` items
//          with a Lambda task per item (2 warm-up runs, 1 measured).
// Prints one JSON line on stdout; progress goes to stderr.
//
// Lambda tasks are answered by stand-ins equivalent to the Java StandInLambdas + TaskDispatcher: echo (a JSON
// copy of the event), return a value, or raise (Error = the recorded error, Cause = the recorded payload). For
// "arn:aws:states:::lambda:invoke" the stand-in also answers the way the Lambda service integration does
// (Payload in, {ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode} out), since this
// interpreter only runs Task states through local handlers. Waits and retry intervals are 0 ms on both sides.
//
// "States entered" is counted by a wrapper around the interpreter's StateEntered event, in the execution itself
// and its inline Map iterations and Parallel branches, but not inside Distributed Map item processors: the
// Java engine's history counts the same (a Distributed Map's items are child executions with their own
// histories). Retries enter no new state on either side.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';

const [prefix, requestFile] = process.argv.slice(2);
if (!prefix || !requestFile) {
  console.error('usage: node npm-sfn-driver.mjs <npm prefix> <request.json>');
  process.exit(2);
}
const pkgDir = join(prefix, 'node_modules', 'aws-local-stepfunctions');
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const { StateMachine } = await import(pathToFileURL(join(pkgDir, pkg.exports.import)).href);
const request = JSON.parse(readFileSync(requestFile, 'utf8'));

// ---- counting wrapper -------------------------------------------------------------------------------------
// Item processors (and everything nested in them) of Distributed Maps: their states are not counted.
const uncounted = new WeakSet();
const originalExecute = StateMachine.prototype.execute;
StateMachine.prototype.execute = function (input, options, cleanupFn) {
  const counter = options?.runOptions?.benchCounter;
  if (counter && !uncounted.has(this.definition)) {
    const logger = options.eventLogger;
    const dispatch = logger.dispatchStateEnteredEvent;
    logger.dispatchStateEnteredEvent = function (...args) {
      counter.entered++;
      return dispatch.apply(this, args);
    };
  }
  return originalExecute.call(this, input, options, cleanupFn);
};

/** Calls fn(stateName, state, insideDistributed) for every state at every depth. */
function walk(machine, fn, insideDistributed = false) {
  if (insideDistributed) {
    uncounted.add(machine);
  }
  for (const [name, state] of Object.entries(machine?.States ?? {})) {
    fn(name, state);
    if (state.Type === 'Map') {
      const processor = state.ItemProcessor ?? state.Iterator;
      // ProcessorConfig sits in ItemProcessor, or in the legacy Iterator
      const distributed = insideDistributed || processor?.ProcessorConfig?.Mode === 'DISTRIBUTED';
      if (processor) {
        walk(processor, fn, distributed);
      }
    }
    if (state.Type === 'Parallel') {
      for (const branch of state.Branches ?? []) {
        walk(branch, fn, insideDistributed);
      }
    }
  }
}

// ---- Lambda stand-ins -------------------------------------------------------------------------------------
function functionName(nameOrArn) {
  let n = String(nameOrArn);
  const i = n.indexOf(':function:');
  if (i >= 0) {
    n = n.substring(i + ':function:'.length);
    const q = n.indexOf(':');
    if (q >= 0) {
      n = n.substring(0, q);
    }
  }
  return n;
}

class LambdaFunctionError extends Error {
  constructor(name, cause) {
    super(cause);
    this.name = name;
  }
}

/** Invokes a stand-in with a request body (a JSON text), returning the parsed result, like the Java side. */
function invoke(lambdas, fn, body) {
  const spec = lambdas?.[functionName(fn)];
  if (!spec) {
    throw new LambdaFunctionError('Lambda.ResourceNotFoundException', `Function not found: ${fn}`);
  }
  switch (spec.behaviour) {
    case 'echo':
      return JSON.parse(body);
    case 'return':
      return JSON.parse(JSON.stringify(spec.value ?? null));
    case 'raise': {
      let error = 'Lambda.Unknown';
      try {
        error = JSON.parse(spec.cause).errorType ?? error;
      } catch {
        // a payload that is not JSON keeps the generic error name
      }
      throw new LambdaFunctionError(error, spec.cause);
    }
    default:
      throw new Error(`unknown behaviour ${JSON.stringify(spec)}`);
  }
}

function handlerFor(resource, lambdas) {
  const base = resource.replace(/\.(waitForTaskToken|sync:2|sync)$/, '');
  if (resource.startsWith('arn:aws:lambda:')) {
    return async (input) => invoke(lambdas, resource, JSON.stringify(input ?? null));
  }
  if (base === 'arn:aws:states:::lambda:invoke') {
    return async (params) => {
      const fn = params?.FunctionName;
      if (typeof fn !== 'string') {
        throw new LambdaFunctionError('States.Runtime', "The field 'FunctionName' is required for lambda:invoke");
      }
      const p = params.Payload;
      const body = p === undefined || p === null ? '{}' : typeof p === 'string' ? p : JSON.stringify(p);
      return {
        ExecutedVersion: '$LATEST',
        Payload: invoke(lambdas, fn, body),
        SdkHttpMetadata: {
          HttpHeaders: { 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST' },
          HttpStatusCode: 200,
        },
        SdkResponseMetadata: { RequestId: randomUUID() },
        StatusCode: 200,
      };
    };
  }
  return null;
}

/** Prepares a case: the StateMachine (validated once, as the Java side parses once) and its run options. */
function prepare(c, validate = true) {
  const definition = c.definition;
  const taskHandlers = {};
  const waitTimeOverrides = {};
  const retryIntervalOverrides = {};
  const resources = {};
  let problem = null;
  walk(definition, (name, state) => {
    if (state.Type === 'Wait') {
      waitTimeOverrides[name] = 0;
    }
    if (state.Retry) {
      retryIntervalOverrides[name] = 0;
    }
    if (state.Type === 'Task') {
      // Overrides are keyed by state name only: two Task states of one name must call the same thing.
      if (resources[name] !== undefined && resources[name] !== state.Resource) {
        problem = `two Task states named ${name} with different resources`;
      }
      resources[name] = state.Resource;
      const h = handlerFor(String(state.Resource), c.lambdas);
      if (h) {
        taskHandlers[name] = h;
      } else {
        problem = `unsupported resource ${state.Resource}`;
      }
    }
  });
  if (problem) {
    return { problem };
  }
  let machine;
  try {
    // measure mode: the definitions were validated by a check run (the validator takes about 0.5 s each)
    machine = new StateMachine(definition, validate ? undefined : { validationOptions: { noValidate: true } });
  } catch (e) {
    return { problem: `definition rejected: ${String(e.message).split('\n').slice(0, 2).join(' ')}` };
  }
  const overrides = { taskResourceLocalHandlers: taskHandlers, waitTimeOverrides, retryIntervalOverrides };
  const input = c.input === undefined ? {} : c.input;
  return { machine, overrides, input };
}

/** Runs once; resolves {status, output | error, cause, entered}. */
async function runOnce(p) {
  const counter = { entered: 0 };
  const execution = p.machine.run(p.input, { overrides: p.overrides, benchCounter: counter });
  try {
    const output = await execution.result;
    return { status: 'SUCCEEDED', output, entered: counter.entered };
  } catch (e) {
    const inner = e?.cause instanceof Error ? e.cause : e;
    return { status: 'FAILED', error: inner?.name, cause: inner?.message, entered: counter.entered };
  }
}

// ---- result comparison (as AwsRecordedConformanceTest, error name only for failures) -----------------------
function withoutKeys(v, keys) {
  if (!keys.length || v === null || typeof v !== 'object') {
    return v;
  }
  if (Array.isArray(v)) {
    return v.map((x) => withoutKeys(x, keys));
  }
  const o = {};
  for (const [k, x] of Object.entries(v)) {
    if (!keys.includes(k)) {
      o[k] = withoutKeys(x, keys);
    }
  }
  return o;
}

function valueEquals(a, b) {
  if (a === b) {
    return true;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    return false;
  }
  if (Array.isArray(a) !== Array.isArray(b)) {
    return false;
  }
  if (Array.isArray(a)) {
    return a.length === b.length && a.every((x, i) => valueEquals(x, b[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && valueEquals(a[k], b[k]));
}

function matchesExpected(c, r) {
  const exp = c.expected;
  if (exp.status !== r.status) {
    const detail = r.error ? ` (${r.error}: ${String(r.cause).slice(0, 160)})` : '';
    return `status ${r.status}${detail}, expected ${exp.status}`;
  }
  if (r.status === 'SUCCEEDED') {
    const actual = withoutKeys(r.output, c.compare?.ignore_keys ?? []);
    return valueEquals(exp.output, actual) ? null : 'output differs';
  }
  return (exp.error ?? null) === (r.error ?? null) ? null : `error ${r.error}, expected ${exp.error}`;
}

function withTimeout(promise, ms) {
  let t;
  return Promise.race([
    promise.finally(() => clearTimeout(t)),
    new Promise((resolve) => {
      t = setTimeout(() => resolve({ status: 'TIMEOUT', entered: 0 }), ms);
    }),
  ]);
}

// ---- memory -----------------------------------------------------------------------------------------------
let peakHeap = 0;
const sampler = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 50);
sampler.unref();
function sampleHeap() {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}

/** CPU seconds (user + system, all threads of the process) since a process.cpuUsage() reading. */
function cpuSince(start) {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1e6;
}

// ---- modes ------------------------------------------------------------------------------------------------
async function check(cases) {
  const results = [];
  for (const c of cases) {
    const p = prepare(c);
    if (p.problem) {
      results.push({ name: c.name, ok: false, reason: p.problem });
      continue;
    }
    const r = await withTimeout(runOnce(p), 10_000);
    const problem = r.status === 'TIMEOUT' ? 'did not finish in 10 s' : matchesExpected(c, r);
    results.push({ name: c.name, ok: !problem, reason: problem ?? undefined, entered: r.entered });
  }
  return { mode: 'check', results };
}

async function replay(prepared, rounds, concurrency) {
  let executions = 0;
  let entered = 0;
  let failures = 0;
  let inFlight = 0;
  let wake = null;
  const done = () => {
    inFlight--;
    if (wake) {
      const w = wake;
      wake = null;
      w();
    }
  };
  for (let r = 0; r < rounds; r++) {
    for (const p of prepared) {
      while (inFlight >= concurrency) {
        await new Promise((resolve) => {
          wake = resolve;
        });
      }
      inFlight++;
      runOnce(p).then((res) => {
        executions++;
        entered += res.entered;
        if (res.status !== p.expectedStatus) {
          failures++;
        }
        done();
      });
    }
    sampleHeap();
  }
  while (inFlight > 0) {
    await new Promise((resolve) => {
      wake = resolve;
    });
  }
  return { executions, entered, failures };
}

async function measure(cases, rounds, warmupRounds, concurrency, mapItems) {
  const prepared = [];
  for (const c of cases) {
    const p = prepare(c, false);
    if (p.problem) {
      throw new Error(`${c.name}: ${p.problem}`);
    }
    p.expectedStatus = c.expected.status;
    prepared.push(p);
  }
  await replay(prepared, warmupRounds, concurrency); // warm-up (JIT), not measured
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const rep = await replay(prepared, rounds, concurrency);
  const replaySeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const replayCpu = cpuSince(cpu0);
  sampleHeap();
  const replayPeakHeap = peakHeap;

  let map = null;
  if (mapItems > 0) {
    const mapCase = {
      definition: {
        StartAt: 'Map',
        States: {
          Map: {
            Type: 'Map',
            MaxConcurrency: 0,
            ItemsPath: '$.items',
            ItemProcessor: {
              ProcessorConfig: { Mode: 'INLINE' },
              StartAt: 'Work',
              States: {
                Work: {
                  Type: 'Task',
                  Resource: 'arn:aws:lambda:us-east-1:111111111111:function:lambda_func',
                  End: true,
                },
              },
            },
            End: true,
          },
        },
      },
      input: { items: Array.from({ length: mapItems }, (_, i) => i) },
      lambdas: { lambda_func: { behaviour: 'echo' } },
    };
    const p = prepare(mapCase);
    if (p.problem) {
      throw new Error(`inline map: ${p.problem}`);
    }
    for (let warm = 0; warm < 2; warm++) {
      await runOnce(p);
    }
    const cpu1 = process.cpuUsage();
    const t1 = process.hrtime.bigint();
    const r = await runOnce(p);
    const mapSeconds = Number(process.hrtime.bigint() - t1) / 1e9;
    const mapCpu = cpuSince(cpu1);
    sampleHeap();
    map = {
      status: r.status,
      error: r.error,
      items: mapItems,
      seconds: mapSeconds,
      cpuSeconds: mapCpu,
      entered: r.entered,
      outputItems: Array.isArray(r.output) ? r.output.length : null,
    };
  }
  return {
    mode: 'measure',
    cases: prepared.length,
    rounds,
    executions: rep.executions,
    entered: rep.entered,
    unexpectedStatus: rep.failures,
    seconds: replaySeconds,
    cpuSeconds: replayCpu,
    replayPeakHeapBytes: replayPeakHeap,
    map,
  };
}

const t = process.hrtime.bigint();
let out;
if (request.mode === 'check') {
  out = await check(request.cases);
} else {
  out = await measure(request.cases, request.rounds ?? 100, request.warmupRounds ?? 5, request.concurrency ?? 256,
    request.mapItems ?? 0);
}
sampleHeap();
out.node = process.version;
out.engine = `aws-local-stepfunctions@${pkg.version}`;
out.peakHeapBytes = peakHeap;
out.maxRssBytes = process.resourceUsage().maxRSS * 1024;
out.wallSeconds = Number(process.hrtime.bigint() - t) / 1e9;
process.stdout.write(`${JSON.stringify(out)}\n`);
