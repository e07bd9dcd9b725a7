/**
 * The dashboard's entry: reads config.json, signs the user in, and shows the view the address names:
 * #/jobs (the default), #/jobs/<id>, #/new, #/programs, #/programs/<name>.
 */
import { Api } from './api.js';
import { cognitoSignOutUrl, finishCognitoSignIn, startCognitoSignIn, type Session } from './auth.js';
import { loadConfig, type DashboardConfig } from './config.js';
import { h, replace } from './dom.js';
import { jobView } from './views/job.js';
import { jobsView } from './views/jobs.js';
import { newJobView } from './views/newjob.js';
import { programView } from './views/program.js';
import { programsView } from './views/programs.js';
import { signInView } from './views/signin.js';
import type { Context, View } from './views/view.js';

const root = document.getElementById('app')!;

function route(context: Context): View {
  const [path, query] = (location.hash.replace(/^#/, '') || '/jobs').split('?');
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'jobs' && parts.length === 2) {
    return jobView(context, decodeURIComponent(parts[1]));
  }
  if (parts[0] === 'new') {
    return newJobView(context);
  }
  if (parts[0] === 'programs' && parts.length === 2) {
    return programView(context, decodeURIComponent(parts[1]));
  }
  if (parts[0] === 'programs') {
    return programsView(context);
  }
  return jobsView(context, new URLSearchParams(query ?? ''));
}

function start(config: DashboardConfig, session: Session): void {
  const signOut = config.auth.mode === 'cognito'
    ? h('a', { href: cognitoSignOutUrl(config.auth), class: 'sign-out' }, 'Sign out')
    : h('button', { type: 'button', class: 'sign-out', onclick: () => location.reload() }, 'Sign out');
  const outlet = h('div', { class: 'outlet' });
  replace(root,
    h('header', { class: 'top' },
      h('a', { href: '#/jobs', class: 'brand' }, 'Conveyor'),
      h('nav', { 'aria-label': 'Main' }, h('a', { href: '#/jobs' }, 'Jobs'), h('a', { href: '#/new' }, 'New job'),
        h('a', { href: '#/programs' }, 'Programs')),
      h('span', { class: 'user', id: 'signed-in-user' }, session.user), signOut),
    outlet);
  const context: Context = {
    api: new Api(config.api, () => session.authorization()),
    session,
    navigate: (hash) => { location.hash = hash; },
  };
  let view: View | undefined;
  const show = () => {
    view?.dispose();
    view = route(context);
    replace(outlet, view.element);
    view.element.querySelector<HTMLElement>('h1')?.setAttribute('tabindex', '-1');
  };
  window.addEventListener('hashchange', show);
  show();
}

async function main(): Promise<void> {
  const config = await loadConfig();
  if (config.auth.mode === 'bearer') {
    replace(root, signInView((session) => start(config, session)));
    return;
  }
  const session = await finishCognitoSignIn(config.auth);
  if (session) {
    start(config, session);
  } else {
    await startCognitoSignIn(config.auth);
  }
}

main().catch((e) => replace(root, h('main', {}, h('h1', {}, 'The dashboard could not start'),
  h('div', { class: 'error', role: 'alert' }, e instanceof Error ? e.message : String(e)))));
