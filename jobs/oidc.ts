/**
 * Who may run a tick: Cloud Scheduler calls with an OIDC ID token that Google signed for the configured service
 * account (TICK_INVOKER) and audience (TICK_AUDIENCE, the function's URL). Anything else is refused: no or a
 * malformed, forged or expired token → 401; a genuine token for someone or something else → 403.
 */
import { OAuth2Client } from 'google-auth-library';

/** Google's ID token issuers. */
export const GOOGLE_ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];

/** Public keys by key id (kid → PEM): Google's own in production, a test key in tests. */
export type CertSource = () => Promise<Record<string, string>>;

export interface CallerPolicy {
  readonly audience: string;
  readonly invoker: string;
  readonly certs: CertSource;
  readonly issuers?: readonly string[];
}

export class CallerRefused extends Error {
  override name = 'CallerRefused';
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

/** Google's current signing keys (cached by the client library as their HTTP caching allows). */
export function googleCerts(client = new OAuth2Client()): CertSource {
  return async () => (await client.getFederatedSignonCertsAsync()).certs as Record<string, string>;
}

/** Resolves with the caller's email, or rejects with CallerRefused saying why (never echoing the token). */
export async function verifyCaller(authorization: string | undefined, policy: CallerPolicy): Promise<string> {
  const match = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/.exec(authorization ?? '');
  if (!match) throw new CallerRefused(401, 'an OIDC bearer token is required');
  let payload;
  try {
    // Signature, expiry and issuer here; the audience below, so a wrong one is told apart (403) from a bad token (401).
    const ticket = await new OAuth2Client().verifySignedJwtWithCertsAsync(match[1], await policy.certs(), undefined, [...(policy.issuers ?? GOOGLE_ISSUERS)]);
    payload = ticket.getPayload();
  } catch (err) {
    throw new CallerRefused(401, `the token is not valid: ${firstLine(err)}`);
  }
  if (!payload) throw new CallerRefused(401, 'the token has no payload');
  const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
  if (!audiences.includes(policy.audience)) throw new CallerRefused(403, 'the token is for another audience');
  if (payload.email !== policy.invoker || payload.email_verified !== true) throw new CallerRefused(403, 'the token is not from the scheduler\'s service account');
  return payload.email;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  // The library quotes the token's contents in some messages: keep only the reason.
  return (text.split('\n')[0] ?? '').replace(/[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}[.A-Za-z0-9_-]*/g, '[token]').slice(0, 200);
}
