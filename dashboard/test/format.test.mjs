import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytes, dollars, duration, percent } from '../target/classes/dashboard/js/format.js';

test('durations read in the unit that fits', () => {
  assert.equal(duration(850), '850 ms');
  assert.equal(duration(1234), '1.23 s');
  assert.equal(duration(12_345), '12.3 s');
  assert.equal(duration(245_000), '4 min 05 s');
  assert.equal(duration(7_380_000), '2 h 03 min');
  assert.equal(duration(undefined), '–');
  assert.equal(duration(-1), '–');
});

test('sizes read in binary units', () => {
  assert.equal(bytes(512), '512 B');
  assert.equal(bytes(1536), '1.5 KiB');
  assert.equal(bytes(64 * 1024 * 1024), '64.0 MiB');
});

test('costs read in dollars: cents from a dollar up, three significant digits below', () => {
  assert.equal(dollars(12.345), '$12.35');
  assert.equal(dollars(1), '$1.00');
  assert.equal(dollars(0.00116472), '$0.00116');
  assert.equal(dollars(0.02052389), '$0.0205');
  assert.equal(dollars(0.000001), '$0.000001');
  assert.equal(dollars(0.00000025), '$0.00000025');
  assert.equal(dollars(0), '$0');
  assert.equal(dollars(undefined), '–');
});

test('rates read as percentages', () => {
  assert.equal(percent(0.125), '12.5 %');
  assert.equal(percent(undefined), '–');
});
