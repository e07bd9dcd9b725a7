import { test } from 'node:test';
import assert from 'node:assert/strict';
import { heldLabel, runnerLabel, sortWorkers, workerLabel } from '../target/classes/dashboard/js/workers.js';

test('a run names the worker by its name and short id, or the function with the program it invoked', () => {
  assert.equal(runnerLabel({ attempt: 1, kind: 'WORKER', workerId: '4f2a9c31-aaaa', workerName: 'gpu-box-1' }),
    'worker gpu-box-1 (4f2a9c31)');
  assert.equal(runnerLabel({ attempt: 2, kind: 'WORKER', workerId: '4f2a9c31-aaaa' }), 'worker 4f2a9c31');
  assert.equal(runnerLabel({ attempt: 1, kind: 'FUNCTION', function: 'RunSubJob', programFunction: 'word-count:live' }),
    'function RunSubJob → word-count:live');
  assert.equal(runnerLabel({ attempt: 1, kind: 'FUNCTION', function: 'RunSubJob' }), 'function RunSubJob');
});

test('a held subjob reads as job#index, and a worker without a name by its short id', () => {
  assert.equal(heldLabel({ jobId: '0b9e1d2f-1234-5678', attempt: 1, index: 7 }), '0b9e1d2f#7');
  assert.equal(workerLabel('0123456789'), '01234567');
});

test('alive workers come first, then by name or id', () => {
  const sorted = sortWorkers([
    { workerId: 'c', health: 'DEAD', name: 'a-dead' },
    { workerId: 'b', health: 'ALIVE', name: 'zeta' },
    { workerId: 'a', health: 'ALIVE' },
  ]);
  assert.deepEqual(sorted.map((w) => w.workerId), ['a', 'b', 'c']);
});
