import { z } from 'zod';

const TierSchema = z.enum(['read', 'write', 'destructive']);

/** A secret-looking variable must be named in `env` (a conscious decision), never passed through wholesale. */
export const SECRET_NAME_PATTERN = /TOKEN|KEY|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE|AUTH/i;

export const ServerSpecSchema = z
  .strictObject({
    /** Prefix of this server's tools and prompts (`<name>__<tool>`). */
    name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must match ^[a-z0-9][a-z0-9-]*$ (lowercase letters, digits, dashes)'),
    command: z.string().min(1, 'must be a non-empty command'),
    args: z.array(z.string()).default([]),
    /** Extra variables for the child; values may use `${VAR}` from the gateway's environment. */
    env: z.record(z.string(), z.string()).default({}),
    /** Names copied from the gateway's environment as they are; secret-looking names are refused. */
    env_passthrough: z
      .array(
        z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
          .refine((name) => !SECRET_NAME_PATTERN.test(name), {
            message: 'looks like a secret; put it in `env` as NAME: ${NAME} to forward it deliberately',
          }),
      )
      .optional(),
    /** Operator override of a tool's tier (tool name without the server prefix). */
    tier_overrides: z.record(z.string(), TierSchema).optional(),
    enabled: z.boolean().default(true),
    /** Working directory of the child, relative to the project root. Default: the project root. */
    cwd: z.string().optional(),
    /** How long the child may take to answer `initialize`. */
    startup_timeout_ms: z.number().int().positive().default(30_000),
    /** Upper bound on one request to this server without progress (progress notifications reset it). */
    call_timeout_ms: z.number().int().positive().default(600_000),
    /** Upper bound on one request however much progress it reports. */
    max_call_ms: z.number().int().positive().default(3_600_000),
    /** Largest single JSON-RPC message accepted from the child. */
    max_message_bytes: z.number().int().positive().default(64 * 1024 * 1024),
  });

export type ServerSpec = z.infer<typeof ServerSpecSchema>;

export const RegistrySchema = z.strictObject({
  version: z.literal('1', { message: 'must be "1"' }),
  servers: z.array(ServerSpecSchema).default([]),
  /** rea 0.4 key (review tooling); accepted for compatibility, unused by the gateway. */
  reviewer: z.enum(['codex', 'claude-self']).optional(),
});

export type Registry = z.infer<typeof RegistrySchema>;
