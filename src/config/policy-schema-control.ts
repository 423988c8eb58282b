import { z } from 'zod';
import { TierSchema } from './policy-schema-sections.js';

/** Sections rea adds to policy.yaml: per-tool rules, per-server lists, limits, breaker, confirmation. */

const positiveInt = () => z.number().int().positive();
const glob = () => z.string().min(1);

/**
 * One operator rule over exposed tool names (`<server>__<tool>`). Rules are read in order; for `tier`
 * the first matching rule that sets one wins; `deny` on any matching rule wins over everything.
 */
export const ToolRuleSchema = z
  .object({
    /** A glob (or list of globs) over `<server>__<tool>`, e.g. `github__delete_*`. */
    match: z.union([glob(), z.array(glob()).min(1)]),
    /** Override the tier the classifier would infer. */
    tier: TierSchema.optional(),
    /** Pre-approve: at L2 a destructive call runs without asking. Never lifts the autonomy ceiling. */
    allow: z.literal(true).optional(),
    /** Never callable, and hidden from tools/list. */
    deny: z.literal(true).optional(),
    /** Ask the user before every call, whatever the level. */
    confirm: z.literal(true).optional(),
  })
  .strict()
  .refine((rule) => !(rule.allow && rule.deny), { message: 'cannot set both `allow` and `deny`', path: ['deny'] });

/** Per-server lists over un-prefixed tool names. */
export const ServerRuleSchema = z
  .object({
    /** When present, only tools matching one of these globs are callable (an allowlist). */
    allow: z.array(glob()).optional(),
    /** Tools matching one of these globs are never callable, and hidden from tools/list. */
    deny: z.array(glob()).optional(),
  })
  .strict();

const LimitSchema = z
  .object({
    /** Sustained calls per second (token refill rate). */
    rate: z.number().positive().optional(),
    /** Calls allowed in a burst (bucket size). Default: the rate rounded up, at least 1. */
    burst: positiveInt().optional(),
    /** Calls running at once; the next one is denied until one finishes. */
    max_in_flight: positiveInt().optional(),
  })
  .strict();
export type Limit = z.infer<typeof LimitSchema>;

export const RateLimitsSchema = z
  .object({
    /** Applies to each server that has no entry of its own in `servers`. */
    server_default: LimitSchema.optional(),
    /** Per downstream server (one bucket per server). */
    servers: z.record(z.string(), LimitSchema).optional(),
    /** Per tool: keys are globs over `<server>__<tool>`, first match in file order; one bucket per tool. */
    tools: z.record(glob(), LimitSchema).optional(),
  })
  .strict();

const DEFAULT_FAILURE_THRESHOLD = 5;
const DEFAULT_COOLDOWN_MS = 30_000;

export const CircuitBreakerSchema = z
  .object({
    /** Consecutive failures that open the circuit for a server. */
    failure_threshold: positiveInt().default(DEFAULT_FAILURE_THRESHOLD),
    /** How long an open circuit refuses calls before one trial call is let through. */
    cooldown_ms: positiveInt().default(DEFAULT_COOLDOWN_MS),
    /** Trial calls allowed while half-open. */
    half_open_max_calls: positiveInt().default(1),
    /** Whether a downstream timeout counts as a failure. */
    count_timeouts: z.boolean().default(true),
  })
  .strict();

const DEFAULT_MAX_RESULT_BYTES = 1_048_576;

export const LimitsSchema = z
  .object({
    /** Largest tool result passed to the agent, in UTF-8 bytes of its content; larger ones are truncated. */
    max_result_bytes: positiveInt().default(DEFAULT_MAX_RESULT_BYTES),
    /** Per-call downstream timeout. */
    call_timeout_ms: positiveInt().optional(),
  })
  .strict();

const DEFAULT_CONFIRM_TIMEOUT_MS = 120_000;

export const ConfirmSchema = z
  .object({
    /** How long the gateway waits for the user's answer to an elicitation; no answer denies. */
    timeout_ms: positiveInt().default(DEFAULT_CONFIRM_TIMEOUT_MS),
  })
  .strict();
