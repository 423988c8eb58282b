/**
 * `.rea/serve.state.json`: the running gateway's live state, written by `rea serve` (debounced, on
 * every change) and read by `rea status`, `rea promote` and `rea check`. One schema for the writer's
 * type and the readers' validation; its shape is documented in the README (`rea status --json`).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

const DownstreamStateSchema = z.object({
  name: z.string(),
  state: z.string(),
  connected: z.boolean(),
  pid: z.number().int().nullable(),
  tools: z.number().int().nonnegative(),
  restarts: z.number().int().nonnegative(),
  last_error: z.string().nullable(),
  circuit: z.string(),
});

const PolicyStateSchema = z.object({
  autonomy_level: z.string(),
  version: z.number().int(),
  pending_promotion: z.object({ from: z.string(), to: z.string() }).nullable(),
  last_error: z.string().nullable(),
});

const AuditStateSchema = z.object({
  path: z.string(),
  appended: z.number().int().nonnegative(),
  failures: z.number().int().nonnegative(),
  pending_failure_notes: z.number().int().nonnegative(),
  head_seq: z.number().int(),
  last_error: z.string().nullable(),
});

export const ServeStateSchema = z.object({
  serve: z.object({
    running: z.literal(true),
    pid: z.number().int().positive(),
    session_id: z.string(),
    started_at: z.string(),
    version: z.string(),
  }),
  downstreams: z.array(DownstreamStateSchema),
  halt: z.object({ active: z.boolean(), reason: z.string().nullable() }),
  updated_at: z.string(),
  /** Present once the policy and audit log are open (always, from `rea serve`). */
  policy: PolicyStateSchema.optional(),
  audit: AuditStateSchema.optional(),
  /** Telemetry's own status report (observability/telemetry/start.ts); null when not configured. */
  telemetry: z.record(z.string(), z.unknown()).nullable().optional(),
});

export type ServeState = z.infer<typeof ServeStateSchema>;
export type PolicyState = z.infer<typeof PolicyStateSchema>;
export type AuditState = z.infer<typeof AuditStateSchema>;

/** The state file as the gateway wrote it; undefined when it is missing, unreadable or not in this shape. */
export function readServeState(file: string): ServeState | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
  const parsed = ServeStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
