import { DEFAULT_LIMITS, type DirectLineLimits } from '../bot/directline/index.js';
import type { ApiLimits } from '../services/http/api/limits.js';

// What every bench that drives the local Direct Line channel or the agent API shares.

/** The channel hands out tokens only to a caller holding its secret (the site's server). */
export const BENCH_DIRECT_LINE_SECRET = 'bench-direct-line-secret-0123456789abcdef';

/**
 * A bench drives hundreds of conversations from one address, each faster than a person types: the
 * per-address and per-conversation limits are for people, so they are lifted.
 */
export const BENCH_DIRECT_LINE_LIMITS: DirectLineLimits = {
  ...DEFAULT_LIMITS,
  requestsPerIp: { points: 1e9, seconds: 1 },
  secretTokensPerIp: { points: 1e9, seconds: 1 },
  activitiesPerConversation: { points: 1e9, seconds: 1 },
  tokenCallsPerConversation: { points: 1e9, seconds: 1 },
  streamOpensPerIp: { points: 1e9, seconds: 1 },
};

/**
 * Bench agents answer faster than people and a thousand of them stream from one address: the agent
 * API's per-user and per-address limits are for people, so they are lifted too.
 */
export const BENCH_API_LIMITS: Partial<ApiLimits> = {
  writesPerUser: { points: 1e9, seconds: 1 },
  readsPerUser: { points: 1e9, seconds: 1 },
  streamsPerAddress: 1e9,
  streamOpensPerAddress: { points: 1e9, seconds: 1 },
};
