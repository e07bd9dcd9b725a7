/**
 * What the page needs to know about where it runs, read from config.json beside it: the local runtime writes one
 * for its own API and bearer users; the CDK stack deploys one naming the API and the Cognito user pool.
 */
export type AuthConfig =
  | { mode: 'bearer' }
  | { mode: 'cognito'; domain: string; clientId: string; scopes?: string[] };

export interface DashboardConfig {
  /** The API's base URL; empty when the API answers on the page's own origin. */
  api: string;
  auth: AuthConfig;
}

export async function loadConfig(): Promise<DashboardConfig> {
  const response = await fetch('config.json', { cache: 'no-store' });
  if (!response.ok) {
    throw new Error(`config.json answered ${response.status}: the dashboard does not know where the API is`);
  }
  const config = await response.json() as Partial<DashboardConfig>;
  if (typeof config.api !== 'string' || !config.auth || (config.auth.mode !== 'bearer' && config.auth.mode !== 'cognito')) {
    throw new Error('config.json needs "api" (a URL or "") and "auth" ({"mode": "bearer"} or {"mode": "cognito", ...})');
  }
  return { api: config.api.replace(/\/+$/, ''), auth: config.auth };
}
