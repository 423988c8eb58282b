import { vetUserPattern } from '../scan/user-patterns.js';
import { z } from 'zod';
import { autonomyRank } from '../policy/levels.js';
import {
  AuditSchema,
  ContextProtectionSchema,
  GatewaySchema,
  InjectionSchema,
  LevelSchema,
  RedactSchema,
  ReviewSchema,
} from './policy-schema-sections.js';
import {
  CircuitBreakerSchema,
  ConfirmSchema,
  LimitsSchema,
  RateLimitsSchema,
  ServerRuleSchema,
  ToolRuleSchema,
} from './policy-schema-control.js';
import { TelemetrySchema } from './policy-schema-telemetry.js';

/**
 * `.rea/policy.yaml`. Every rea 0.4 key loads with its 0.4 meaning; rea adds `tools`, `servers`,
 * `rate_limits`, `circuit_breaker`, `limits` and `confirm`. Strict at every level (THREAT_MODEL.md T4).
 * Defaults are filled in, so consumers read concrete values; `docs/policy-reference.md` lists them.
 */
/** Claude Code's own tools, governed by rea's hooks (src/hooks/). */
const NativeSchema = z
  .object({
    /** Deny `mcp__<server>__*` tools of servers `.mcp.json` does not run through rea. */
    deny_ungoverned_mcp: z.boolean().default(false),
    /** Injection verdict on Read, Bash and WebFetch output that is reported back to the agent. */
    scan_output: z.enum(['block', 'warn', 'off']).default('block'),
  })
  .strict();

const PolicyObjectSchema = z
  .object({
    /** Format version. YAML `1` (a number) is accepted as `"1"`. */
    version: z.preprocess((v) => (v === 1 ? '1' : v), z.literal('1')),
    profile: z.string().optional(),
    installed_by: z.string().optional(),
    installed_at: z.string().optional(),
    autonomy_level: LevelSchema.default('L1'),
    /** Ceiling for `autonomy_level`, also for raises while the gateway runs. Default: `autonomy_level`. */
    max_autonomy_level: LevelSchema.optional(),
    /** Hold a runtime raise of `autonomy_level` until a human confirms it. */
    promotion_requires_human_approval: z.boolean().default(true),
    /** rea 0.4: the commit hooks refuse AI attribution lines. Read by the hooks. */
    block_ai_attribution: z.boolean().default(false),
    /** Globs of paths no tool argument may name (`.rea/` is always blocked). */
    blocked_paths: z.array(z.string().min(1)).default([]),
    notification_channel: z.string().default(''),
    injection_detection: z.enum(['block', 'warn']).default('block'),
    injection: InjectionSchema.prefault({}),
    context_protection: ContextProtectionSchema.optional(),
    review: ReviewSchema.optional(),
    redact: RedactSchema.prefault({}),
    audit: AuditSchema.prefault({}),
    gateway: GatewaySchema.prefault({}),
    tools: z.array(ToolRuleSchema).default([]),
    servers: z.record(z.string().min(1), ServerRuleSchema).default({}),
    rate_limits: RateLimitsSchema.prefault({}),
    circuit_breaker: CircuitBreakerSchema.prefault({}),
    limits: LimitsSchema.prefault({}),
    confirm: ConfirmSchema.prefault({}),
    native: NativeSchema.prefault({}),
    /** OpenTelemetry export, audit shipping and Prometheus (issue 13). Off unless configured. */
    telemetry: TelemetrySchema.optional(),
  })
  .strict();

export const PolicySchema = PolicyObjectSchema.superRefine((policy, ctx) => {
  const max = policy.max_autonomy_level;
  if (max !== undefined && autonomyRank(policy.autonomy_level) > autonomyRank(max)) {
    ctx.addIssue({
      code: 'custom',
      path: ['autonomy_level'],
      message: `is ${policy.autonomy_level}, above \`max_autonomy_level\` ${max}; lower it or raise the ceiling`,
    });
  }
  policy.redact.patterns?.forEach((pattern, i) => {
    const problem = vetUserPattern(pattern.regex, pattern.flags);
    if (problem) ctx.addIssue({ code: 'custom', path: ['redact', 'patterns', i, 'regex'], message: `(pattern "${pattern.name}") ${problem}` });
  });
}).transform((policy) => ({ ...policy, max_autonomy_level: policy.max_autonomy_level ?? policy.autonomy_level }));

export type Policy = z.output<typeof PolicySchema>;
/** What a user may write (before defaults). */
export type PolicyInput = z.input<typeof PolicySchema>;


/**
 * The policy in force when `.rea/policy.yaml` does not exist: L1 (read and write, no destructive
 * tools), ceiling L2, raises held for a human, secrets redacted in arguments, audit durable and
 * failing closed. Safe to run unattended; an operator opts into more with a policy file.
 */
export const DEFAULT_POLICY: Policy = deepFreeze(
  PolicySchema.parse({ version: '1', profile: 'default', autonomy_level: 'L1', max_autonomy_level: 'L2' }),
);

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
