/**
 * The parts of Cognito's authorisation code flow with PKCE (RFC 7636) that need no browser: the verifier and its
 * S256 challenge, the authorise address, reading the redirect back, the token request, and the user an ID token
 * names. auth.ts does the rest (leaving for the sign-in page, sessionStorage, the token call); Node tests these.
 */
import type { AuthConfig } from './config.js';

export type Cognito = Extract<AuthConfig, { mode: 'cognito' }>;

/** What waits in sessionStorage while the user is on the sign-in page. */
export interface PendingSignIn {
  verifier: string;
  state: string;
  /** The dashboard address (#/jobs/...) to come back to. */
  fragment: string;
}

/** What the page's address says when it loads: no sign-in under way, a code to exchange, or a refusal. */
export type Callback =
  | { kind: 'none' }
  | { kind: 'code'; code: string; pending: PendingSignIn }
  | { kind: 'error'; message: string };

export function base64url(bytes: Uint8Array): string {
  let text = '';
  bytes.forEach((b) => { text += String.fromCharCode(b); });
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** {@code byteCount} random bytes as base64url: 48 bytes make a 64-character verifier (RFC 7636 allows 43 to 128). */
export function randomToken(byteCount: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

/** The S256 code challenge of {@code verifier}: base64url(SHA-256(verifier)). */
export async function challengeOf(verifier: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
}

/** A fresh verifier and state for one sign-in, remembering where in the dashboard the user was. */
export function newSignIn(fragment: string): PendingSignIn {
  return { verifier: randomToken(48), state: randomToken(16), fragment };
}

/** Cognito's hosted sign-in address for {@code pending}, which comes back to {@code redirectUri} with a code. */
export async function authorizeUrl(config: Cognito, redirectUri: string, pending: PendingSignIn): Promise<string> {
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri,
    scope: (config.scopes ?? ['openid', 'email']).join(' '),
    code_challenge_method: 'S256',
    code_challenge: await challengeOf(pending.verifier),
    state: pending.state,
  });
  return `${config.domain}/oauth2/authorize?${query}`;
}

/**
 * Reads the page's query ({@code search}) against the sign-in this page started ({@code stored}, as sessionStorage
 * held it): a code whose state matches, Cognito's refusal in words, or nothing to do.
 */
export function readCallback(search: string, stored: string | null): Callback {
  const params = new URLSearchParams(search);
  const code = params.get('code');
  const error = params.get('error');
  if (!stored || (!code && !error)) {
    return { kind: 'none' };
  }
  let pending: PendingSignIn;
  try {
    pending = JSON.parse(stored) as PendingSignIn;
  } catch {
    return { kind: 'error', message: 'The sign-in this page started could not be read back: sign in again' };
  }
  if (params.get('state') !== pending.state) {
    return { kind: 'error', message: 'The sign-in came back with another state than this page sent: sign in again' };
  }
  if (error) {
    const description = params.get('error_description');
    return { kind: 'error', message: `The sign-in was refused (${error}${description ? `: ${description}` : ''}): sign in again` };
  }
  return { kind: 'code', code: code!, pending };
}

/** The form body that exchanges {@code code} and the verifier for tokens at {@code <domain>/oauth2/token}. */
export function tokenRequest(config: Cognito, code: string, redirectUri: string, pending: PendingSignIn): URLSearchParams {
  return new URLSearchParams({
    grant_type: 'authorization_code', client_id: config.clientId, code, redirect_uri: redirectUri, code_verifier: pending.verifier,
  });
}

/** Who an ID token names, as the page shows it: the e-mail, else the user name, else the subject. */
export function userOf(idToken: string): string {
  const payload = idToken.split('.')[1];
  if (!payload) {
    throw new Error('Cognito answered with an ID token that is not a JWT: sign in again');
  }
  const binary = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  const claims = JSON.parse(new TextDecoder().decode(bytes)) as { email?: string; 'cognito:username'?: string; sub: string };
  return claims.email ?? claims['cognito:username'] ?? claims.sub;
}
