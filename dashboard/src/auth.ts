/**
 * Who the dashboard calls the API as. Locally, a user name typed once (the runtime's `Authorization: Bearer <user>`
 * stand-in for Cognito). On AWS, Cognito's hosted sign-in with the authorisation code flow and PKCE: the page is a
 * public client, so it holds no client secret; the tokens stay in this page's memory only (never in localStorage or
 * a cookie), and only the one-time PKCE verifier waits in sessionStorage across the redirect to the sign-in page.
 */
import { authorizeUrl, newSignIn, readCallback, tokenRequest, userOf, type Cognito } from './pkce.js';

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

/** This page's address without query or fragment: the redirect URI registered with the user pool client. */
function redirectUri(): string {
  return location.origin + location.pathname;
}

/** Leaves for Cognito's hosted sign-in page, which comes back here with a code. */
export async function startCognitoSignIn(config: Cognito): Promise<void> {
  const pending = newSignIn(location.hash);
  sessionStorage.setItem(PKCE_KEY, JSON.stringify(pending));
  location.assign(await authorizeUrl(config, redirectUri(), pending));
}

/**
 * Completes a sign-in when the page is Cognito's redirect back (`?code=...&state=...`): exchanges the code and the
 * verifier for tokens. Null when the page was not opened by such a redirect.
 */
export async function finishCognitoSignIn(config: Cognito): Promise<Session | null> {
  const callback = readCallback(location.search, sessionStorage.getItem(PKCE_KEY));
  sessionStorage.removeItem(PKCE_KEY);
  if (callback.kind === 'none') {
    return null;
  }
  // The code is used once, here: it leaves the address bar and history whatever the outcome.
  history.replaceState(null, '', redirectUri() + (callback.kind === 'code' ? callback.pending.fragment : ''));
  if (callback.kind === 'error') {
    throw new Error(callback.message);
  }
  const response = await fetch(`${config.domain}/oauth2/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: tokenRequest(config, callback.code, redirectUri(), callback.pending),
  });
  if (!response.ok) {
    throw new Error(`Cognito refused the sign-in code (${response.status}): sign in again`);
  }
  const tokens = await response.json() as { id_token: string };
  // API Gateway's Cognito authoriser takes the ID token as the header's whole value.
  return { user: userOf(tokens.id_token), authorization: () => tokens.id_token };
}

/** Cognito's sign-out, which comes back to this page signed out. */
export function cognitoSignOutUrl(config: Cognito): string {
  return `${config.domain}/logout?${new URLSearchParams({ client_id: config.clientId, logout_uri: redirectUri() })}`;
}
