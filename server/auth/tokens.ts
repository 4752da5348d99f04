import { randomBytes } from 'node:crypto';
import { createSigner, createVerifier } from 'fast-jwt';
import type { Knex } from 'knex';

export type Role = 'participant' | 'regulator' | 'operator';

/**
 * An access token names its user and session, nothing more: who the user is now (role,
 * participant, disabled) is read from PostgreSQL on every request, and the session must still be
 * live, so a token issued before a change cannot carry powers the change took away.
 */
export interface TokenClaims {
  sub: string;
  sid: string;
}

export interface TokenService {
  issue(claims: TokenClaims): string;
  /** Throws on a bad signature, another algorithm, expiry, or claims without a session. */
  verify(token: string): TokenClaims & { exp: number };
}

// HS256 only: pinning the algorithm closes the "alg: none" and key-confusion attacks.
export function createTokenService(secret: string, ttlSeconds: number): TokenService {
  const signer = createSigner({ key: secret, algorithm: 'HS256', expiresIn: ttlSeconds * 1000, iss: 'ecorights' });
  const verifier = createVerifier({ key: secret, algorithms: ['HS256'], allowedIss: 'ecorights', cache: 1000 });
  return {
    issue: (claims) => signer({ sub: claims.sub, sid: claims.sid }),
    verify: (token) => {
      const claims = verifier(token) as Partial<TokenClaims> & { exp: number };
      // Tokens from before sessions existed carry a role instead: they are not honoured.
      if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') throw Object.assign(new Error('token without a session'), { code: 'TOKEN_WITHOUT_SESSION' });
      return { sub: claims.sub, sid: claims.sid, exp: claims.exp };
    },
  };
}

/** The signing secret lives in the database so every node and every restart agree on it. */
export async function loadTokenSecret(knex: Knex): Promise<string> {
  const fromEnv = process.env.TOKEN_SECRET;
  if (fromEnv && fromEnv.length >= 32) return fromEnv;
  await knex('platform_settings')
    .insert({ key: 'token_secret', value: randomBytes(48).toString('base64url') })
    .onConflict('key')
    .ignore();
  const row = await knex('platform_settings').where({ key: 'token_secret' }).first<{ value: string }>();
  if (!row) throw new Error('token secret missing after insert');
  return row.value;
}
