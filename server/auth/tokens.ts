import { randomBytes } from 'node:crypto';
import { createSigner, createVerifier } from 'fast-jwt';
import type { Knex } from 'knex';

export type Role = 'participant' | 'regulator' | 'operator';

export interface TokenClaims {
  sub: string;
  username: string;
  role: Role;
  participantId: string | null;
  participantKind: 'government' | 'enterprise' | 'platform' | null;
  /** The user's role inside its participant; absent in tokens issued before roles existed (admin). */
  participantRole?: 'admin' | 'trader' | 'viewer' | null;
}

export interface TokenService {
  issue(claims: TokenClaims): string;
  /** Throws on a bad signature, another algorithm, or expiry. */
  verify(token: string): TokenClaims;
}

// HS256 only: pinning the algorithm closes the "alg: none" and key-confusion attacks.
export function createTokenService(secret: string, ttlSeconds: number): TokenService {
  const signer = createSigner({ key: secret, algorithm: 'HS256', expiresIn: ttlSeconds * 1000, iss: 'ecorights' });
  const verifier = createVerifier({ key: secret, algorithms: ['HS256'], allowedIss: 'ecorights', cache: 1000 });
  return {
    issue: (claims) => signer({ ...claims }),
    verify: (token) => verifier(token) as TokenClaims,
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
