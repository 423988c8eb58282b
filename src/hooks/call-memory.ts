import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Decision } from './decide.js';
import type { ToolEvent } from './hook-event.js';
import { ensureDir } from './hook-policy.js';

/**
 * PreToolUse leaves its tier and reasons for PostToolUse under `.rea/cache/calls/<tool_use_id>`,
 * so the record of a Bash call does not cost a second parse of the command.
 */
export type RememberedDecision = Pick<Decision, 'kind' | 'tier' | 'detail'>;

const fileFor = (cacheDir: string, event: ToolEvent): string | undefined =>
  event.toolUseId !== undefined && /^[\w-]{1,128}$/.test(event.toolUseId) ? join(cacheDir, 'calls', `${event.toolUseId}.json`) : undefined;

export function rememberDecision(cacheDir: string, event: ToolEvent, decision: Decision): void {
  const file = fileFor(cacheDir, event);
  if (file === undefined) return;
  try {
    ensureDir(cacheDir);
    ensureDir(join(cacheDir, 'calls'));
    writeFileSync(file, JSON.stringify({ kind: decision.kind, tier: decision.tier, detail: decision.detail }));
  } catch {
    // Without it PostToolUse records the tier as write.
  }
}

export function recallDecision(cacheDir: string, event: ToolEvent): RememberedDecision | undefined {
  const file = fileFor(cacheDir, event);
  if (file === undefined) return undefined;
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as RememberedDecision;
    unlinkSync(file);
    return value;
  } catch {
    return undefined;
  }
}
