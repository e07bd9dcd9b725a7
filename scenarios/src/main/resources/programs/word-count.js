// A Conveyor program written in Node.js: word counts, one subjob per input file. One handler serves the three
// operations of the program function contract conveyor.program/1 (README, "Programs as Lambda functions").
// On AWS, exports.handler is the Lambda function's handler; in the local runtime (--function) each invocation runs
// this file with the event on standard input and takes standard output as the answer.
//
// Parameters: minLength (count words at least this long, default 1); declines (each subjob declines its first N
// invocations, to show a retry). An input containing UNREADABLE fails its subjob for good.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

/** An error whose name is the contract's errorType. */
class ProgramError extends Error {
  constructor(type, message) {
    super(message);
    this.name = type;
  }
}

async function handler(event) {
  if (event.contract !== 'conveyor.program/1') {
    throw new ProgramError('Program.UnknownContract', `this function speaks conveyor.program/1, not ${event.contract}`);
  }
  switch (event.operation) {
    case 'split': return split(event.job);
    case 'work': return work(event.job, event.subJob);
    case 'aggregate': return aggregate(event.job, event.outputs);
    default: throw new ProgramError('Program.UnknownOperation', `no operation ${event.operation}`);
  }
}

function minLength(job) {
  const text = job.parameters.minLength ?? '1';
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new ProgramError('Program.InvalidParameters', `parameter 'minLength' must be a whole number from 1, was '${text}'`);
  }
  return value;
}

async function split(job) {
  minLength(job);
  return { subJobs: job.inputs.map((input) => ({ file: input.name })) };
}

async function work(job, subJob) {
  const input = job.inputs.find((i) => i.name === subJob.input.file);
  const response = await fetch(input.url); // the presigned GET: no AWS credentials needed
  if (!response.ok) {
    throw new ProgramError('SubJob.Declined', `reading ${input.name} answered ${response.status}`);
  }
  const text = await response.text();
  if (text.includes('UNREADABLE')) {
    throw new ProgramError('WordCount.Unreadable', `${input.name} cannot be counted`);
  }
  // Each invocation is a process of its own: earlier invocations of this subjob are counted in a file.
  const marker = path.join(os.tmpdir(), `conveyor-word-count-${job.id}-${job.attempt}-${subJob.index}`);
  const before = fs.existsSync(marker) ? Number(fs.readFileSync(marker, 'utf8')) : 0;
  if (before < Number(job.parameters.declines ?? '0')) {
    fs.writeFileSync(marker, String(before + 1));
    throw new ProgramError('SubJob.Declined', `subjob ${subJob.index} declined invocation ${before + 1}`);
  }
  fs.rmSync(marker, { force: true });
  const words = text.split(/\s+/).filter((w) => w.length >= minLength(job));
  return { output: { file: input.name, words: words.length, invocations: before + 1 } };
}

async function aggregate(job, outputs) {
  const response = await fetch(outputs.url);
  const lines = (await response.text()).split('\n').filter((line) => line.length > 0).map((line) => JSON.parse(line));
  return {
    result: {
      files: outputs.count,
      totalWords: lines.reduce((sum, line) => sum + line.output.words, 0),
      perFile: lines.map((line) => ({ index: line.index, ...line.output })),
    },
  };
}

exports.handler = handler;

if (require.main === module) {
  let input = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk) => { input += chunk; });
  process.stdin.on('end', async () => {
    try {
      process.stdout.write(JSON.stringify(await handler(JSON.parse(input))));
    } catch (e) {
      process.stdout.write(JSON.stringify({ errorType: e.name, errorMessage: e.message }));
      process.exitCode = 1;
    }
  });
}
