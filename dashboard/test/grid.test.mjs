// The subjob picture's geometry, on the compiled module (npm run build first; Maven's build does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellOf, indexAt, layout, move, MAX_CELL, MIN_CELL } from '../target/classes/dashboard/js/grid.js';

test('a job of 10,000 subjobs fits about the target height, every subjob with a cell', () => {
  const grid = layout(10_000, 800, 320);
  assert.ok(grid.cell >= MIN_CELL && grid.cell < MAX_CELL, `cell ${grid.cell}`);
  assert.ok(grid.columns * grid.rows >= 10_000);
  assert.ok(grid.height <= 400, `height ${grid.height}`);
  assert.ok(grid.width <= 800);
});

test('a few subjobs get the largest cells, on one row', () => {
  const grid = layout(12, 800, 320);
  assert.equal(grid.cell, MAX_CELL);
  assert.equal(grid.rows, 1);
});

test('on a phone 10,000 subjobs keep the smallest cell and scroll down rather than shrink away', () => {
  const grid = layout(10_000, 320, 320);
  assert.equal(grid.cell, MIN_CELL);
  assert.equal(grid.columns, 106);
  assert.equal(grid.rows, Math.ceil(10_000 / 106));
});

test('a click lands on the subjob drawn under it, and nowhere past the last', () => {
  const grid = layout(10, 100, 320); // 24-pixel cells, 4 columns
  assert.equal(grid.columns, 4);
  assert.equal(indexAt(grid, 0, 0), 0);
  assert.equal(indexAt(grid, 25, 0), 1);
  assert.equal(indexAt(grid, 1, 25), 4);
  assert.equal(indexAt(grid, 2 * 24 + 1, 2 * 24 + 1), -1, 'cell 10 does not exist');
  assert.equal(indexAt(grid, -1, 5), -1);
  for (let i = 0; i < 10; i++) {
    const { x, y } = cellOf(grid, i);
    assert.equal(indexAt(grid, x + 1, y + 1), i);
  }
});

test('arrow keys move between cells and stop at the edges of the job', () => {
  const grid = layout(10, 100, 320);
  assert.equal(move(grid, 0, 'ArrowLeft'), 0);
  assert.equal(move(grid, 0, 'ArrowRight'), 1);
  assert.equal(move(grid, 1, 'ArrowDown'), 5);
  assert.equal(move(grid, 7, 'ArrowDown'), 7, 'no subjob 11 below');
  assert.equal(move(grid, 5, 'ArrowUp'), 1);
  assert.equal(move(grid, 3, 'End'), 9);
  assert.equal(move(grid, 9, 'ArrowRight'), 9);
});
