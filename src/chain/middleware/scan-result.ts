import type { LoadedPolicy } from '../../config/policy-source.js';
import type { FlaggedVerdict, ScanOptions, ScanSurface } from '../../scan/scan-options.js';
import { textOf } from '../../scan/text-of.js';
import { deny, STOPPED, type RequestContext, type Middleware, type Surface } from '../types.js';
import { INJECTION_DENIED, pushAll } from './scan-arguments.js';

/** The policy surface whose injection actions apply to content coming back on each MCP surface. */
function policySurface(surface: Surface): ScanSurface {
  switch (surface) {
    case 'tool':
      return 'result';
    case 'resource':
      return 'resource';
    case 'prompt':
      return 'prompt';
    case 'sampling':
    case 'elicitation':
    case 'completion':
      return 'result';
    default: {
      const never: never = surface;
      return never;
    }
  }
}

/**
 * Stage `scan-result` (post-work): every string of the result (content text, resource text and
 * blobs, structuredContent, prompt messages, `_meta`) is redacted and recorded as
 * `result.<path>:<pattern>`; the text the model will read is classified, and a flagged verdict is
 * blocked or warned per policy surface and tier (THREAT_MODEL.md, prompt injection). A block never
 * carries the payload. For `sampling`, the request a downstream sends towards the model is the
 * untrusted content, so its params are scanned before they are forwarded.
 */
export function scanResult(getOptions: (policy: LoadedPolicy) => ScanOptions): Middleware {
  // A reaction rather than an async frame: this runs for every call (issue 11).
  return function scanResult(ctx, next) {
    if (ctx.surface === 'sampling') {
      const options = getOptions(ctx.policy);
      const out = options.redactor.redactValue(ctx.args, 'args');
      record(ctx, out.redactions, out.timeouts);
      ctx.args = out.value;
      if (judge(ctx, options, 'result', options.classify(textOf(ctx.args)))) return STOPPED;
    }
    return next().then(() => scanOutcome(ctx, getOptions(ctx.policy)));
  };
}

/** The post-work: redact what came back and judge the text the model will read. */
function scanOutcome(ctx: RequestContext, options: ScanOptions): void {
  const outcome = ctx.outcome;
  if (outcome === undefined) return;
  if (outcome.kind === 'error') {
    if (outcome.error instanceof Error) scanError(ctx, options, outcome.error as Error & { data?: unknown });
    return;
  }
  const out = options.redactor.redactValue(outcome.result, 'result');
  record(ctx, out.redactions, out.timeouts);
  if (out.value !== outcome.result) ctx.outcome = { kind: 'result', result: out.value };
  if (ctx.surface === 'sampling' || ctx.surface === 'elicitation' || ctx.surface === 'completion') return;
  if (judge(ctx, options, policySurface(ctx.surface), options.classify(textOf(out.value)))) ctx.outcome = undefined;
}

/** What the agent gets instead of error data that reads as injected instructions. */
const WITHHELD_ERROR_DATA = { 'rea/withheld': 'error data withheld: it reads as injected instructions' } as const;

/**
 * Error text reaches the agent and the audit log: its message is scrubbed like a result, and its
 * `data` (a server's own JSON-RPC error data) is redacted and classified like a result; data that
 * would be blocked as a result is withheld with a note, and the error itself still goes through.
 */
function scanError(ctx: RequestContext, options: ScanOptions, error: Error & { data?: unknown }): void {
  const r = options.redactor.redactString(error.message);
  if (r.patterns.length > 0) {
    error.message = r.value;
    for (const p of r.patterns) ctx.redactedFields.push(`error.message:${p}`);
  }
  if (error.data === undefined) return;
  const out = options.redactor.redactValue(error.data, 'error.data');
  record(ctx, out.redactions, out.timeouts);
  const c = options.classify(textOf(out.value));
  const blocked = c.verdict !== 'clean' && options.actionFor(policySurface(ctx.surface), ctx.tier, c.verdict) !== 'warn';
  if (blocked) ctx.metadata['injection'] = { surface: 'error.data', verdict: c.verdict, families: c.families, score: c.score, action: 'withheld' };
  error.data = blocked ? { ...WITHHELD_ERROR_DATA } : out.value;
}

function record(ctx: RequestContext, redactions: readonly { path: string; pattern: string }[], timeouts: readonly unknown[]): void {
  for (const r of redactions) ctx.redactedFields.push(`${r.path}:${r.pattern}`);
  if (timeouts.length > 0) pushAll(ctx.metadata, 'redact.regex_timeout', timeouts);
}

/** Record the verdict; deny and return true when the action blocks. */
function judge(ctx: RequestContext, options: ScanOptions, surface: ScanSurface, c: { verdict: FlaggedVerdict | 'clean'; families: string[]; score: number }): boolean {
  if (c.verdict === 'clean') return false;
  const action = options.actionFor(surface, ctx.tier, c.verdict);
  ctx.metadata['injection'] = { surface, verdict: c.verdict, families: c.families, score: c.score, action };
  if (action === 'warn') return false;
  deny(ctx, 'injection', 'scan-result', `Injection detected in ${surface} of ${ctx.exposedName} (${c.verdict}: ${c.families.join(', ')}; score ${c.score})`, INJECTION_DENIED);
  return true;
}
