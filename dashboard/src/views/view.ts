import type { Api } from '../api.js';
import type { Session } from '../auth.js';

/** What every view is given. */
export interface Context {
  readonly api: Api;
  readonly session: Session;
  /** Goes to another view, e.g. '#/jobs/<id>'. */
  navigate(hash: string): void;
}

/** A page of the dashboard: its element, and what to stop (polling) when another page replaces it. */
export interface View {
  readonly element: HTMLElement;
  dispose(): void;
}
