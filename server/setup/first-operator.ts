import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Config } from '../config.ts';
import { conflict, forbidden, unprocessable } from '../errors.ts';
import { appendAudit } from '../audit/audit-log.ts';
import { createStaffUser } from '../admin/participants.ts';
import { assertAcceptablePassword } from '../auth/password-policy.ts';
import { claimFirstOperator, operatorExists, recordTokenUser, spendSetupToken, storeSetupToken } from './setup-store.ts';

// A database that is not a demo starts without any user. Its first operator comes from the
// environment (INITIAL_OPERATOR_USERNAME / _PASSWORD) or, failing that, from a one-time setup
// token printed once at start and exchanged at POST /api/setup/operator. Every other staff
// account is created by an operator afterwards.

const USERNAME = /^[A-Za-z0-9_.-]{3,64}$/;

export interface NewOperator {
  username: string;
  password: string;
}

function refuseWeak({ username, password }: NewOperator): void {
  if (!USERNAME.test(username)) throw unprocessable('INVALID_USERNAME', 'a username has 3–64 letters, digits, "_", "." or "-"');
  assertAcceptablePassword(username, password);
}

async function insertFirstOperator(trx: Knex.Transaction, op: NewOperator, via: 'setup_token' | 'environment') {
  await claimFirstOperator(trx, op.username, via);
  const user = await createStaffUser(trx, op.username, op.password, 'operator');
  await appendAudit(trx, [{ actorUserId: user.id, actor: op.username, action: 'operator.first', subject: `user:${user.id}`, payload: { username: op.username, via } }]);
  return user;
}

/** Maps the unique keys that guard the once-only setup to answers a caller can act on. */
function setupConflict(error: unknown): Error {
  const e = error as { code?: string; constraint?: string };
  if (e.code !== '23505') return error as Error;
  if (e.constraint === 'platform_settings_pkey') return conflict('SETUP_COMPLETE', 'the platform already has its first operator; sign in instead');
  return conflict('DUPLICATE_USERNAME', 'that username is taken');
}

/**
 * At start of a database that is not a demo: nothing when an operator exists; else the first
 * operator from the environment; else a fresh setup token, announced once through `say`.
 */
export async function prepareFirstOperator(knex: Knex, config: Config, say: (line: string) => void): Promise<void> {
  const fromEnv = config.INITIAL_OPERATOR_USERNAME ?? config.INITIAL_OPERATOR_PASSWORD;
  if (await operatorExists(knex)) {
    if (fromEnv !== undefined) say('INITIAL_OPERATOR_USERNAME/PASSWORD are ignored: an operator exists; remove them from the environment');
    return;
  }
  if (fromEnv !== undefined) {
    const op = { username: config.INITIAL_OPERATOR_USERNAME ?? '', password: config.INITIAL_OPERATOR_PASSWORD ?? '' };
    if (!op.username || !op.password) throw new Error('set both INITIAL_OPERATOR_USERNAME and INITIAL_OPERATOR_PASSWORD, or neither');
    try {
      refuseWeak(op);
    } catch (error) {
      throw new Error(`INITIAL_OPERATOR_PASSWORD/USERNAME refused: ${(error as Error).message}`, { cause: error });
    }
    try {
      await knex.transaction((trx) => insertFirstOperator(trx, op, 'environment'));
    } catch (error) {
      // Another node starting with the same variables created it first: that is the goal met.
      if ((error as { code?: string }).code !== '23505') throw error;
    }
    say(`first operator "${op.username}" created from INITIAL_OPERATOR_USERNAME; remove INITIAL_OPERATOR_PASSWORD from the environment`);
    return;
  }
  const token = randomBytes(24).toString('base64url');
  const expiresAt = await storeSetupToken(knex, token, config.SETUP_TOKEN_TTL_MINUTES);
  say(`no operator yet: open the platform's setup page (#/setup) and enter the one-time setup token ${token} (single use, valid until ${expiresAt.toISOString()}; a restart prints a new one)`);
}

/** POST /api/setup/operator: a valid unused token becomes the first operator, once ever. */
export async function createFirstOperator(knex: Knex, body: NewOperator & { setupToken: string }): Promise<{ id: string; username: string; role: 'operator' }> {
  try {
    return await knex.transaction(async (trx) => {
      if (await operatorExists(trx)) throw conflict('SETUP_COMPLETE', 'the platform already has its first operator; sign in instead');
      refuseWeak(body);
      const tokenId = await spendSetupToken(trx, body.setupToken);
      if (!tokenId) throw forbidden('SETUP_TOKEN_INVALID', 'the setup token is wrong, used or expired; restart the platform to print a new one');
      const user = await insertFirstOperator(trx, body, 'setup_token');
      await recordTokenUser(trx, tokenId, user.id);
      return { id: String(user.id), username: body.username, role: 'operator' as const };
    });
  } catch (error) {
    throw setupConflict(error);
  }
}
