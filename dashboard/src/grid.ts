/**
 * The geometry of the subjob picture: one square cell per subjob, in index order, left to right and top to bottom.
 * Pure, so the layout and the hit test are tested without a browser.
 */

/** The cells' side and the grid's shape for a number of subjobs in a given width, in CSS pixels. */
export interface GridLayout {
  readonly count: number;
  readonly cell: number;
  readonly columns: number;
  readonly rows: number;
  readonly width: number;
  readonly height: number;
}

/** The largest cell drawn (a job of a few subjobs), and the smallest (past it, a job of 10,000 would scroll). */
export const MAX_CELL = 24;
export const MIN_CELL = 3;
/** The gap between cells, dropped when cells get too small to show one. */
const GAP_FROM_CELL = 6;

/**
 * Chooses the cell size so that the whole job fits in about {@code targetHeight} pixels, between {@link MIN_CELL} and
 * {@link MAX_CELL}: 10,000 subjobs in 800 pixels get cells of 4 to 5 pixels, 12 subjobs get the largest cells.
 */
export function layout(count: number, width: number, targetHeight: number): GridLayout {
  const w = Math.max(MIN_CELL, Math.floor(width));
  const n = Math.max(0, Math.floor(count));
  const fit = n === 0 ? MAX_CELL : Math.floor(Math.sqrt((w * Math.max(targetHeight, MIN_CELL)) / n));
  const cell = Math.min(MAX_CELL, Math.max(MIN_CELL, fit));
  const columns = Math.max(1, Math.floor(w / cell));
  const rows = Math.ceil(n / columns);
  return { count: n, cell, columns, rows, width: columns * cell, height: rows * cell };
}

/** The gap drawn between cells of this size, so neighbours of one status stay distinguishable. */
export function gap(cell: number): number {
  return cell >= GAP_FROM_CELL ? 1 : 0;
}

/** The subjob at a point of the picture (CSS pixels from its top left corner), or -1 between or past the cells. */
export function indexAt(grid: GridLayout, x: number, y: number): number {
  if (x < 0 || y < 0 || x >= grid.width || y >= grid.height) {
    return -1;
  }
  const index = Math.floor(y / grid.cell) * grid.columns + Math.floor(x / grid.cell);
  return index < grid.count ? index : -1;
}

/** The cell a subjob is drawn in: its left and top edges. */
export function cellOf(grid: GridLayout, index: number): { x: number; y: number } {
  return { x: (index % grid.columns) * grid.cell, y: Math.floor(index / grid.columns) * grid.cell };
}

/** The subjob an arrow key moves to from {@code index}, staying inside the job. */
export function move(grid: GridLayout, index: number, key: string): number {
  const last = grid.count - 1;
  switch (key) {
    case 'ArrowLeft': return Math.max(0, index - 1);
    case 'ArrowRight': return Math.min(last, index + 1);
    case 'ArrowUp': return index - grid.columns >= 0 ? index - grid.columns : index;
    case 'ArrowDown': return index + grid.columns <= last ? index + grid.columns : index;
    case 'Home': return 0;
    case 'End': return last;
    default: return index;
  }
}
