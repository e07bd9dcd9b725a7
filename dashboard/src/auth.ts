/**
 * Who the dashboard calls the API as. Locally, a user name typed once (the runtime's `Authorization: Bearer <user>`
 * stand-in for Cognito). On AWS, Cognito's hosted sign-in with the authorisation code flow and PKCE: the page is a
 * public client, so it holds no client secret; the tokens stay in this page's memory only (never in localStorage or
 * a cookie), and only the one-time PKCE verifier waits in sessionStorage across the redirect to the sign-in page.
 */
import type { AuthConfig } from './config.js';

export interface Session {
  /** Who is signed in, as the page shows it. */
  readonly user: string;
  /** The Authorization header's value for the API. */
  authorization(): string;
}

/** The user names the local runtime accepts (functions' BearerUser). */
const BEARER_USER = /^[A-Za-z0-9._@+=,-]{1,128}$/;

/** A local session for a user name, or a message saying what is wrong with the name. */
export function bearerSession(user: string): Session | string {
  const name = user.trim();
  if (!BEARER_USER.test(name)) {
    return 'A user name is 1 to 128 letters, digits or . _ @ + = , -';
  }
  return { user: name, authorization: () => `Bearer ${name}` };
}

const PKCE_KEY = 'conveyor.pkce';

function base64url(bytes: Uint8Array): string {
  let text = '';
  bytes.forEach((b) => { text += String.fromCharCode(b); });
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomToken(byteCount: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

/** This page's address without query or fragment: the redirect URI registered with the user pool client. */
function redirectUri(): string {
  return location.origin + location.pathname;
}

type Cognito = Extract<AuthConfig, { mode: 'cognito' }>;

/** Leaves for Cognito's hosted sign-in page, which comes back here with a code. */
export async function startCognitoSignIn(config: Cognito): Promise<void> {
  const verifier = randomToken(48);
  const state = randomToken(16);
  const challenge = base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, fragment: location.hash }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: (config.scopes ?? ['openid', 'email']).join(' '),
    code_challenge_method: 'S256',
    code_challenge: challenge,
    state,
  });
  location.assign(`${config.domain}/oauth2/authorize?${query}`);
}

/**
 * Completes a sign-in when the page is Cognito's redirect back (`?code=...&state=...`): exchanges the code and the
 * verifier for tokens. Null when the page was not opened by such a redirect.
 */
export async function finishCognitoSignIn(config: Cognito): Promise<Session | null> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const pending = sessionStorage.getItem(PKCE_KEY);
  sessionStorage.removeItem(PKCE_KEY);
  if (!code || !pending) {
    return null;
  }
  const { verifier, state, fragment } = JSON.parse(pending) as { verifier: string; state: string; fragment: string };
  if (params.get('state') !== state) {
    throw new Error('The sign-in came back with another state than this page sent: sign in again');
  }
  history.replaceState(null, '', redirectUri() + (fragment || ''));
  const response = await fetch(`${config.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', client_id: config.clientId, code, redirect_uri: redirectUri(), code_verifier: verifier,
    }),
  });
  if (!response.ok) {
    throw new Error(`Cognito refused the sign-in code (${response.status}): sign in again`);
  }
  const tokens = await response.json() as { id_token: string };
  const claims = JSON.parse(atob(tokens.id_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as
    { email?: string; 'cognito:username'?: string; sub: string };
  // API Gateway's Cognito authoriser takes the ID token as the header's whole value.
  return { user: claims.email ?? claims['cognito:username'] ?? claims.sub, authorization: () => tokens.id_token };
}

/** Cognito's sign-out, which comes back to this page signed out. */
export function cognitoSignOutUrl(config: Cognito): string {
  return `${config.domain}/logout?${new URLSearchParams({ client_id: config.clientId, logout_uri: redirectUri() })}`;
}
