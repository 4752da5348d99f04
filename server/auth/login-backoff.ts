import type { Redis } from 'ioredis';

/**
 * Failed sign-ins per account, kept in Redis so every node sees the same count. After a few free
 * mistakes each further attempt must wait twice as long as the last (1 s, 2 s, 4 s … up to a cap)
 * — a delay, not a lock: the owner who waits signs in, and a success clears the count. A lock after
 * N failures would let anyone who knows a username shut its owner out.
 *
 * @fastify/rate-limit's store counts every request and cannot forget on success, so the account
 * side is this small table of its own; the per-IP limit stays with the plugin.
 */
export interface LoginBackoffPolicy {
  /** Failures allowed before any wait. */
  freeFailures: number;
  /** Wait after the first failure beyond the free ones. */
  baseDelayMs: number;
  /** Longest wait, however many failures. */
  maxDelayMs: number;
  /** A count untouched this long is forgotten. */
  forgetAfterMs: number;
}

export const DEFAULT_LOGIN_BACKOFF: LoginBackoffPolicy = { freeFailures: 5, baseDelayMs: 1000, maxDelayMs: 15 * 60_000, forgetAfterMs: 24 * 3600_000 };

export interface LoginBackoff {
  /**
   * Claims one attempt for the account: 0 when its password may be checked now (the attempt is
   * counted as a failure until `recordSuccess`), else the milliseconds it must still wait.
   * Check and count are one Redis script, so parallel guesses cannot all slip through one gap.
   */
  claimAttempt(username: string, now?: number): Promise<number>;
  recordSuccess(username: string): Promise<void>;
}

// KEYS[1] the account's hash; ARGV: now, freeFailures, baseDelayMs, maxDelayMs, forgetAfterMs.
const CLAIM_ATTEMPT = `
local count = tonumber(redis.call('HGET', KEYS[1], 'count') or '0')
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
local now = tonumber(ARGV[1])
local free = tonumber(ARGV[2])
if count >= free then
  local delay = math.min(tonumber(ARGV[3]) * 2 ^ math.min(count - free, 40), tonumber(ARGV[4]))
  local wait = last + delay - now
  if wait > 0 then return math.ceil(wait) end
end
redis.call('HINCRBY', KEYS[1], 'count', 1)
redis.call('HSET', KEYS[1], 'last', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 0
`;

type ClaimingRedis = Redis & { claimLoginAttempt(key: string, ...args: string[]): Promise<number> };

export function createLoginBackoff(redis: Redis, prefix: string, policy: LoginBackoffPolicy = DEFAULT_LOGIN_BACKOFF): LoginBackoff {
  const client = redis as ClaimingRedis;
  if (typeof client.claimLoginAttempt !== 'function') redis.defineCommand('claimLoginAttempt', { numberOfKeys: 1, lua: CLAIM_ATTEMPT });
  // Usernames are compared case-insensitively, so are their counts.
  const keyOf = (username: string) => `${prefix}:login-failures:${username.trim().toLowerCase()}`;
  return {
    async claimAttempt(username, now = Date.now()) {
      const args = [now, policy.freeFailures, policy.baseDelayMs, policy.maxDelayMs, policy.forgetAfterMs].map(String);
      return Number(await client.claimLoginAttempt(keyOf(username), ...args));
    },
    async recordSuccess(username) {
      await redis.del(keyOf(username));
    },
  };
}
