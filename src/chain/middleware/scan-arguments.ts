import type { LoadedPolicy } from '../../config/policy-source.js';
import type { ScanOptions } from '../../scan/scan-options.js';
import { textOf } from '../../scan/text-of.js';
import { deny, STOPPED, type Middleware } from '../types.js';

/** The short message of an injection denial (the agent sees "Denied by rea: injection detected"): never the payload. */
export const INJECTION_DENIED = 'injection detected';

/** Arguments longer than this are not classified for injection: it is mainly results that carry it. */
const MAX_CLASSIFIED_ARGS = 64 * 1024;

/**
 * Stage `scan-arguments` (pre-work): secrets in the arguments are always redacted from what rea
 * records: the audit record keeps a digest of the arguments and `ctx.redactedFields` (path and
 * pattern), never a copy of the arguments themselves.
 * What the downstream receives follows policy `redact.arguments` / `redact.allow_servers`:
 * `redact` rewrites `ctx.args`; `allow` forwards them untouched for servers that legitimately take
 * credentials (THREAT_MODEL.md, secret leakage). Either way the decision is recorded.
 */
export function scanArguments(getOptions: (policy: LoadedPolicy) => ScanOptions): Middleware {
  return function scanArguments(ctx, next) {
    const options = getOptions(ctx.policy);
    const out = options.redactor.redactValue(ctx.args, 'args');
    if (out.redactions.length > 0 || out.timeouts.length > 0) {
      for (const r of out.redactions) ctx.redactedFields.push(`${r.path}:${r.pattern}`);
      if (out.timeouts.length > 0) pushAll(ctx.metadata, 'redact.regex_timeout', out.timeouts);
      const mode = options.argumentMode(ctx.server);
      ctx.metadata['redact_arguments'] = { mode, fields: out.redactions.length };
      if (mode === 'redact') ctx.args = out.value;
    }

    const text = textOf(ctx.args);
    if (text.length > 0 && text.length <= MAX_CLASSIFIED_ARGS) {
      const c = options.classify(text);
      if (c.verdict !== 'clean') {
        const action = options.actionFor('arguments', ctx.tier, c.verdict);
        ctx.metadata['injection_arguments'] = { verdict: c.verdict, families: c.families, score: c.score, action };
        if (action === 'block' || action === 'quarantine') {
          deny(ctx, 'injection', 'scan-arguments', `Injection detected in arguments of ${ctx.exposedName} (${c.verdict}: ${c.families.join(', ')}; score ${c.score})`, INJECTION_DENIED);
          return STOPPED;
        }
      }
    }
    return next();
  };
}

export function pushAll(metadata: Record<string, unknown>, key: string, items: readonly unknown[]): void {
  const existing = metadata[key];
  metadata[key] = Array.isArray(existing) ? [...(existing as unknown[]), ...items] : [...items];
}
