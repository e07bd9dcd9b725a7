import { ApiError } from '../api.js';
import { h } from '../dom.js';

/** An error as the page shows it: the API's code and its message, which says what to change. */
export function errorBox(e: unknown): HTMLElement {
  if (e instanceof ApiError) {
    return h('div', { class: 'error', role: 'alert' }, h('strong', {}, e.code), ' ', e.message);
  }
  return h('div', { class: 'error', role: 'alert' }, e instanceof Error ? e.message : String(e));
}
