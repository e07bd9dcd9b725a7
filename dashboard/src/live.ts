/**
 * Keeps a view up to date by asking the API again and again, with backoff while nothing changes, and pausing while
 * the page is hidden. Nothing here polls Step Functions: the API reads jobs from DynamoDB.
 */
import { Backoff } from './backoff.js';

export class Poller {
  private timer: number | undefined;
  private stopped = false;
  private inFlight = false;
  private readonly backoff: Backoff;
  private readonly onVisible = () => { if (!document.hidden) { this.now(); } };

  /**
   * @param refresh asks the API and updates the view; resolves to whether anything changed, or 'stop' when there
   *                is nothing more to watch (a job that ended)
   */
  constructor(private readonly refresh: () => Promise<boolean | 'stop'>, min = 1000, max = 15000) {
    this.backoff = new Backoff(min, max);
    document.addEventListener('visibilitychange', this.onVisible);
  }

  /** Refreshes now, then keeps refreshing. */
  now(): void {
    if (this.stopped || this.inFlight) {
      return;
    }
    window.clearTimeout(this.timer);
    this.timer = undefined;
    this.inFlight = true;
    this.refresh().then(
      (changed) => { this.inFlight = false; if (changed !== 'stop') { this.schedule(this.backoff.next(changed)); } },
      // The view shows the error; keep trying, ever more slowly.
      () => { this.inFlight = false; this.schedule(this.backoff.next(false)); },
    );
  }

  private schedule(delay: number): void {
    if (!this.stopped && !document.hidden && this.timer === undefined) {
      this.timer = window.setTimeout(() => { this.timer = undefined; this.now(); }, delay);
    }
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.timer);
    document.removeEventListener('visibilitychange', this.onVisible);
  }
}
