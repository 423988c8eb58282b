import type { Policy } from '../config/policy-schema.js';
import { createRedactor, type Redactor } from '../scan/redactor.js';
import type { ToolEvent } from './hook-event.js';

/** What a native call's audit record says it did: the command or path, redacted; never a written body. */
const MAX_FIELD = 4096;
let redactor: Redactor | undefined;

function redactorFor(policy: Policy): Redactor {
  redactor ??= createRedactor({ matchTimeoutMs: policy.redact.match_timeout_ms });
  return redactor;
}

export function redactText(text: string, policy: Policy): string {
  const clipped = text.length > MAX_FIELD ? `${text.slice(0, MAX_FIELD)}…` : text;
  return redactorFor(policy).redactString(clipped).value;
}

export function redact(event: ToolEvent, policy: Policy): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (event.cwd !== undefined) out['cwd'] = event.cwd;
  for (const key of ['command', 'file_path', 'notebook_path', 'path', 'pattern', 'url', 'description']) {
    const value = event.toolInput[key];
    if (typeof value === 'string') out[key] = redactText(value, policy);
  }
  for (const key of ['content', 'new_string', 'old_string']) {
    const value = event.toolInput[key];
    if (typeof value === 'string') out[`${key}_bytes`] = Buffer.byteLength(value);
  }
  return out;
}

/** The text a tool returned, for the injection scan (Bash: stdout and stderr; Read: the file; WebFetch: the page). */
export function outputText(response: unknown): string {
  if (typeof response === 'string') return response;
  if (response === null || typeof response !== 'object') return '';
  const parts: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 6 || parts.length > 1000) return;
    if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value)) value.forEach((v) => visit(v, depth + 1));
    else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => visit(v, depth + 1));
  };
  visit(response, 0);
  return parts.join('\n');
}
