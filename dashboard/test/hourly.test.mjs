// The geometry of a program's hour-by-hour charts, on the compiled module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describe, durationLines, errorBars, frame, indexAt, roundCeiling, slot, step } from '../target/classes/dashboard/js/hourly.js';

const hour = (i, stats = {}) => ({ hour: `2026-11-22T${String(i).padStart(2, '0')}:00:00Z`, subJobs: 0, failed: 0, errorRate: 0, ...stats });

test('the scale tops out at a round figure at or above the highest p95', () => {
  assert.equal(roundCeiling(340), 500);
  assert.equal(roundCeiling(1000), 1000);
  assert.equal(roundCeiling(1001), 2000);
  assert.equal(roundCeiling(0.3), 0.5);
  assert.equal(roundCeiling(0), 1);
});

test('an hour without subjobs breaks the lines, and a lone hour is still drawn as a point', () => {
  const hours = [hour(0, { subJobs: 2, p50Millis: 100, p95Millis: 400 }), hour(1, { subJobs: 1, p50Millis: 200, p95Millis: 200 }),
    hour(2), hour(3, { subJobs: 5, p50Millis: 50, p95Millis: 500 })];
  const f = frame(480, 180);
  const lines = durationLines(hours, f);
  assert.equal(lines.topMillis, 500);
  assert.equal(lines.p50.length, 2, 'two runs: hours 0-1 and hour 3');
  assert.equal(lines.p50[0].split(' ').length, 2);
  assert.equal(lines.p50[1].split(' ').length, 1);
  assert.deepEqual(lines.points.map((p) => p.index), [0, 1, 3]);
  const last = lines.points[2];
  assert.equal(last.p95, f.top, 'the highest p95 reaches the top of the scale');
  assert.equal(last.x, slot(f, 3, 4).x);
  assert.ok(lines.points[0].p50 > lines.points[0].p95, 'p50 is drawn below p95 (y grows downwards)');
});

test('error bars are as tall as the error rate on a round scale, and absent for hours without subjobs', () => {
  const f = frame(480, 110);
  const { topRate, bars } = errorBars([hour(0, { subJobs: 4, failed: 1, errorRate: 0.25 }), hour(1),
    hour(2, { subJobs: 1, failed: 1, errorRate: 1 })], f);
  assert.equal(topRate, 1);
  assert.deepEqual(bars.map((b) => b.index), [0, 2]);
  assert.equal(bars[1].height, f.bottom - f.top);
  assert.equal(bars[1].y, f.top);
  assert.ok(Math.abs(bars[0].height - (f.bottom - f.top) / 4) < 0.1);
  const low = errorBars([hour(0, { subJobs: 300, failed: 2, errorRate: 2 / 300 }), hour(1, { subJobs: 100, errorRate: 0 })], f);
  assert.equal(low.topRate, 0.01, 'a rate under 1 % is drawn on a 1 % scale, not lost at the bottom of 100 %');
  assert.ok(low.bars[0].height > (f.bottom - f.top) / 2);
  assert.equal(low.bars[1].height, 0);
});

test('keys and clicks choose an hour within the day drawn', () => {
  assert.equal(step(5, 'ArrowLeft', 25), 4);
  assert.equal(step(0, 'ArrowLeft', 25), 0);
  assert.equal(step(24, 'ArrowRight', 25), 24);
  assert.equal(step(7, 'Home', 25), 0);
  assert.equal(step(7, 'End', 25), 24);
  assert.equal(step(7, 'a', 25), null);
  const f = frame(480, 180);
  assert.equal(indexAt(f, 25, slot(f, 13, 25).x), 13);
  assert.equal(indexAt(f, 25, 0), 0);
  assert.equal(indexAt(f, 25, 10_000), 24);
});

test('an hour reads in words', () => {
  assert.equal(describe(hour(9, { subJobs: 3, failed: 1, errorRate: 1 / 3, p50Millis: 120, p95Millis: 2500 })),
    '09:00 UTC: 3 subjobs, p50 120 ms, p95 2.50 s, errors 33.3 % (1)');
  assert.equal(describe(hour(10)), '10:00 UTC: no subjob ended');
});
