// A program's declared parameters as form fields, and a form's values back as typed parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldsOf, valuesOf } from '../target/classes/dashboard/js/paramschema.js';

const render = {
  type: 'object',
  required: ['width'],
  properties: {
    width: { type: 'integer', minimum: 16, maximum: 4096, description: 'pixels across' },
    quality: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.8 },
    format: { type: 'string', enum: ['png', 'webp'], default: 'png' },
    label: { type: 'string', maxLength: 5, pattern: '^[a-z]+$', title: 'Label' },
    lossless: { type: 'boolean', default: false },
  },
};

test('each declared parameter is a field of its type, with its limits, default and required mark', () => {
  const fields = fieldsOf(render);
  assert.deepEqual(fields.map((f) => [f.name, f.kind, f.required, f.initial]), [
    ['width', 'integer', true, ''],
    ['quality', 'number', false, '0.8'],
    ['format', 'choice', false, 'png'],
    ['label', 'string', false, ''],
    ['lossless', 'boolean', false, 'false'],
  ]);
  assert.deepEqual(fields[0].constraints, { min: 16, max: 4096, step: 1 });
  assert.equal(fields[0].description, 'pixels across');
  assert.deepEqual(fields[1].constraints, { min: 0, max: 1, step: 'any' });
  assert.deepEqual(fields[2].options, ['png', 'webp']);
  assert.deepEqual(fields[3].constraints, { maxlength: 5, pattern: '^[a-z]+$' });
  assert.equal(fields[3].label, 'Label');
});

test('a program without a schema has no fields, so the page falls back to name/value pairs', () => {
  assert.deepEqual(fieldsOf(undefined), []);
  assert.deepEqual(fieldsOf({ type: 'object' }), []);
});

test('values are sent typed, and an empty input is left out so the default applies', () => {
  const fields = fieldsOf(render);
  assert.deepEqual(valuesOf(fields, { width: ' 640 ', quality: '', format: 'webp', label: 'cat', lossless: 'true' }),
    { width: 640, format: 'webp', label: 'cat', lossless: true });
  assert.deepEqual(valuesOf(fields, { width: '', lossless: 'false' }), { lossless: false });
});

test('a value that is not a number, or too long for one, is sent as typed for the API to check', () => {
  const fields = fieldsOf(render);
  assert.deepEqual(valuesOf(fields, { width: 'wide' }), { width: 'wide' });
  assert.deepEqual(valuesOf(fields, { width: '123456789012345678901' }), { width: '123456789012345678901' });
  assert.deepEqual(valuesOf(fields, { width: '64.5', quality: '0.25' }), { width: '64.5', quality: 0.25 });
});
