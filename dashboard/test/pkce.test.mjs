// Cognito's code flow with PKCE, the parts that need no browser, on the compiled module.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorizeUrl, challengeOf, newSignIn, readCallback, tokenRequest, userOf } from '../target/classes/dashboard/js/pkce.js';

const cognito = { mode: 'cognito', domain: 'https://conveyor-auth.auth.eu-west-1.amazoncognito.com', clientId: 'client-1' };
const redirect = 'https://dashboard.example.com/index.html';

test('the S256 challenge is the one RFC 7636 gives for its example verifier', async () => {
  assert.equal(await challengeOf('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk'), 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
});

test('each sign-in has its own verifier of a length RFC 7636 allows, and its own state', () => {
  const a = newSignIn('#/jobs/j-1');
  const b = newSignIn('#/jobs/j-1');
  assert.match(a.verifier, /^[A-Za-z0-9_-]{64}$/);
  assert.match(a.state, /^[A-Za-z0-9_-]{22}$/);
  assert.notEqual(a.verifier, b.verifier);
  assert.notEqual(a.state, b.state);
  assert.equal(a.fragment, '#/jobs/j-1');
});

test('the authorise address asks for a code with the S256 challenge of the verifier, never the verifier', async () => {
  const pending = newSignIn('');
  const url = new URL(await authorizeUrl(cognito, redirect, pending));
  assert.equal(url.origin + url.pathname, `${cognito.domain}/oauth2/authorize`);
  const q = url.searchParams;
  assert.equal(q.get('response_type'), 'code');
  assert.equal(q.get('client_id'), 'client-1');
  assert.equal(q.get('redirect_uri'), redirect);
  assert.equal(q.get('scope'), 'openid email');
  assert.equal(q.get('code_challenge_method'), 'S256');
  assert.equal(q.get('code_challenge'), await challengeOf(pending.verifier));
  assert.equal(q.get('state'), pending.state);
  assert.ok(!url.href.includes(pending.verifier), 'the verifier stays in the page');
});

test('the redirect back gives the code when its state is the one sent', () => {
  const pending = { verifier: 'v'.repeat(64), state: 's-1', fragment: '#/programs' };
  const callback = readCallback('?code=abc&state=s-1', JSON.stringify(pending));
  assert.deepEqual(callback, { kind: 'code', code: 'abc', pending });
  const body = tokenRequest(cognito, 'abc', redirect, pending);
  assert.deepEqual(Object.fromEntries(body), { grant_type: 'authorization_code', client_id: 'client-1', code: 'abc',
    redirect_uri: redirect, code_verifier: 'v'.repeat(64) });
});

test('a code with another state, or Cognito refusing, is an error saying to sign in again', () => {
  const stored = JSON.stringify({ verifier: 'v', state: 's-1', fragment: '' });
  assert.equal(readCallback('?code=abc&state=forged', stored).kind, 'error');
  const refused = readCallback('?error=access_denied&error_description=User+is+disabled&state=s-1', stored);
  assert.deepEqual(refused, { kind: 'error', message: 'The sign-in was refused (access_denied: User is disabled): sign in again' });
  assert.equal(readCallback('?code=abc&state=s-1', '{not json').kind, 'error');
});

test('a page not opened by a redirect of a sign-in it started has nothing to finish', () => {
  assert.deepEqual(readCallback('', JSON.stringify({ verifier: 'v', state: 's', fragment: '' })), { kind: 'none' });
  assert.deepEqual(readCallback('?code=abc&state=s', null), { kind: 'none' }, 'a code this page did not ask for is ignored');
});

test('the ID token names the user by e-mail, then user name, then subject, in UTF-8', () => {
  const jwt = (claims) => `h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
  assert.equal(userOf(jwt({ sub: 'u-1', email: 'zoë@example.com', 'cognito:username': 'zoe' })), 'zoë@example.com');
  assert.equal(userOf(jwt({ sub: 'u-1', 'cognito:username': 'zoe' })), 'zoe');
  assert.equal(userOf(jwt({ sub: 'u-1' })), 'u-1');
  assert.throws(() => userOf('not-a-jwt'), /not a JWT/);
});
