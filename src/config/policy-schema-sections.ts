import { z } from 'zod';

/**
 * Sections of `.rea/policy.yaml` that rea 0.4 defined (kept with their meaning) and that other parts
 * of rea consume: content security (`redact`, `injection`), the audit log (`audit`) and the gateway.
 * Every object is strict: a typo is a load error, never a silently ignored knob (THREAT_MODEL.md T4).
 */

const positiveInt = () => z.number().int().positive();

export const LevelSchema = z.enum(['L0', 'L1', 'L2', 'L3']);
export const TierSchema = z.enum(['read', 'write', 'destructive']);

/** rea 0.4 `context_protection`: read by the Claude Code hooks, not by the gateway. */
export const ContextProtectionSchema = z
  .object({
    delegate_to_subagent: z.array(z.string()).default([]),
    max_bash_output_lines: positiveInt().optional(),
  })
  .strict();

/** rea 0.4 `review`: push-gate knobs read by the hooks. Accepted so rea 0.4 policies keep loading. */
export const ReviewSchema = z
  .object({
    codex_required: z.boolean().optional(),
    concerns_blocks: z.boolean().optional(),
    timeout_ms: positiveInt().optional(),
    last_n_commits: positiveInt().optional(),
    cache_max_age_seconds: positiveInt().optional(),
    allow_skip_in_ci: z.boolean().optional(),
  })
  .strict();

const RedactPatternSchema = z
  .object({
    /** Stable name: it appears in audit records (`redacted_fields`), never the matched value. */
    name: z.string().min(1),
    /** JavaScript regex source, no slashes. Vetted with safe-regex at load. */
    regex: z.string().min(1),
    /** JavaScript RegExp flags (rea 0.4). `g` is implied by the redactor. */
    flags: z.string().regex(/^[gimsuy]*$/).optional(),
  })
  .strict();

export const RedactSchema = z
  .object({
    /** User patterns layered on top of the built-in secret patterns. */
    patterns: z.array(RedactPatternSchema).optional(),
    /** Budget per regex match; on timeout the value is replaced by a sentinel (fail closed). */
    match_timeout_ms: positiveInt().default(100),
    /** Whether secrets in tool arguments are redacted before they reach the downstream. */
    arguments: z.enum(['redact', 'allow']).default('redact'),
    /** Servers that legitimately receive secrets in their arguments (e.g. a vault client). */
    allow_servers: z.array(z.string().min(1)).optional(),
  })
  .strict();

const InjectionActionSchema = z.enum(['block', 'warn', 'quarantine']);
const TierActionsSchema = z
  .object({ read: InjectionActionSchema.optional(), write: InjectionActionSchema.optional(), destructive: InjectionActionSchema.optional() })
  .strict();
/** Either one action for every tier, or one per tier. */
const VerdictActionSchema = z.union([InjectionActionSchema, TierActionsSchema]);
const VerdictActionsSchema = z
  .object({ suspicious: VerdictActionSchema.optional(), likely_injection: VerdictActionSchema.optional() })
  .strict();

export type InjectionSurface = 'arguments' | 'result' | 'description' | 'resource' | 'prompt';
export type InjectionVerdict = 'suspicious' | 'likely_injection';
export type InjectionAction = z.infer<typeof InjectionActionSchema>;

export const InjectionSchema = z
  .object({
    /** rea 0.4: whether a `suspicious` verdict at write/destructive tier denies (unset: follows injection_detection). */
    suspicious_blocks_writes: z.boolean().optional(),
    /** Per surface, per verdict, optionally per tier: what to do. Unset entries follow the rea 0.4 defaults. */
    actions: z
      .object({
        arguments: VerdictActionsSchema.optional(),
        result: VerdictActionsSchema.optional(),
        description: VerdictActionsSchema.optional(),
        resource: VerdictActionsSchema.optional(),
        prompt: VerdictActionsSchema.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const AuditSchema = z
  .object({
    /** `durable`: fsync before the outcome is returned; `relaxed`: group commit may lose the last records on power loss. */
    durability: z.enum(['durable', 'relaxed']).default('durable'),
    /** What a call does when its audit record cannot be written. */
    on_failure: z.enum(['deny', 'allow']).default('deny'),
    write_timeout_ms: positiveInt().optional(),
    rotation: z
      .object({
        max_bytes: positiveInt().optional(),
        max_age_days: positiveInt().optional(),
        /** How many rotated files to keep (unset: keep all). */
        retain: positiveInt().optional(),
      })
      .strict()
      .optional(),
    checkpoint: z
      .object({
        every_records: positiveInt().optional(),
        every_seconds: positiveInt().optional(),
        /** Ed25519 private key (PEM) used to sign checkpoints. */
        private_key: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const GatewaySchema = z
  .object({
    /** rea 0.6 spelling of `expose_errors`, accepted for compatibility. */
    health: z.object({ expose_diagnostics: z.boolean().optional() }).strict().optional(),
    /** Whether the health tool shows downstream error strings (they may carry paths or secrets). */
    expose_errors: z.boolean().default(false),
    /** How long startup waits for downstreams before serving without the slow ones. */
    startup_budget_ms: positiveInt().optional(),
    /** How long shutdown waits for in-flight calls before killing downstreams. */
    shutdown_grace_ms: positiveInt().optional(),
  })
  .strict();
