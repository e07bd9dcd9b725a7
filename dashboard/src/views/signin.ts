/** The local sign-in: the user name the runtime's bearer token names, typed once for this page. */
import { bearerSession, type Session } from '../auth.js';
import { h, replace } from '../dom.js';

export function signInView(onSignedIn: (session: Session) => void): HTMLElement {
  const input = h('input', { type: 'text', id: 'user', name: 'user', autocomplete: 'username', required: true,
    placeholder: 'alice', autofocus: true });
  const message = h('div', { class: 'message', 'aria-live': 'polite' });
  const form = h('form', { class: 'sign-in' },
    h('h1', {}, 'Sign in'),
    h('p', {}, 'The local runtime takes any user name as who you are (its stand-in for Cognito); each user sees only their own jobs.'),
    h('label', { for: 'user' }, 'User name'), input,
    h('button', { type: 'submit', class: 'primary', id: 'sign-in' }, 'Sign in'), message);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const session = bearerSession(input.value);
    if (typeof session === 'string') {
      replace(message, h('div', { class: 'error', role: 'alert' }, session));
    } else {
      onSignedIn(session);
    }
  });
  return h('main', { class: 'sign-in-view' }, form);
}
