import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Backoff } from '../target/classes/dashboard/js/backoff.js';

test('polls slow down while nothing changes, up to the longest delay, and speed up at a change', () => {
  const b = new Backoff(1000, 5000, 2);
  assert.deepEqual([b.next(false), b.next(false), b.next(false), b.next(false)], [2000, 4000, 5000, 5000]);
  assert.equal(b.next(true), 1000);
  assert.equal(b.next(false), 2000);
});

test('a backoff that could never wait, or would shrink, is refused', () => {
  assert.throws(() => new Backoff(0, 10), RangeError);
  assert.throws(() => new Backoff(10, 5), RangeError);
  assert.throws(() => new Backoff(10, 50, 0.5), RangeError);
});
