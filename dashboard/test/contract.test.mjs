// The statuses the dashboard draws are the ones the API answers with (openapi.yaml): a status the page does not know
// would be drawn as an empty cell and left out of the legend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { JOB_STATUSES, SUBJOB_STATUSES } from '../target/classes/dashboard/js/api.js';

const openapi = readFileSync(new URL('../../functions/src/main/resources/openapi.yaml', import.meta.url), 'utf8');

/** The values of the `enum: [...]` that follows `anchor` in openapi.yaml. */
function enumAfter(anchor) {
  const at = openapi.indexOf(anchor);
  assert.ok(at >= 0, `openapi.yaml has no ${anchor}`);
  const values = /enum: \[([^\]]*)\]/.exec(openapi.slice(at));
  return values[1].split(',').map((v) => v.trim());
}

test('every job status of the API is one the dashboard knows', () => {
  assert.deepEqual([...JOB_STATUSES].sort(), enumAfter('JobStatus:').sort());
});

test('every subjob status of the API is one the dashboard draws', () => {
  assert.deepEqual([...SUBJOB_STATUSES].sort(), enumAfter('SubJobsPage:').sort());
});
