/**
 * How often a view asks the API again: at once after a change, then ever more slowly while nothing changes, so an
 * idle page costs a request every {@code max} milliseconds rather than every second.
 */
export class Backoff {
  private current: number;

  /**
   * @param min the delay after a change, in milliseconds
   * @param max the longest delay, in milliseconds
   * @param factor how much longer each unchanged poll waits
   */
  constructor(readonly min: number, readonly max: number, readonly factor = 1.6) {
    if (!(min > 0 && max >= min && factor >= 1)) {
      throw new RangeError(`Backoff needs 0 < min <= max and factor >= 1, was ${min}, ${max}, ${factor}`);
    }
    this.current = min;
  }

  /** The delay before the next poll, given whether the last one saw a change. */
  next(changed: boolean): number {
    this.current = changed ? this.min : Math.min(this.max, Math.round(this.current * this.factor));
    return this.current;
  }
}
