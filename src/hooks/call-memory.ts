import { readdirSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
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

/** A call PostToolUse never came for (declined by the human, interrupted) is forgotten after a day. */
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000;

export function rememberDecision(cacheDir: string, event: ToolEvent, decision: Decision): void {
  const file = fileFor(cacheDir, event);
  if (file === undefined) return;
  const text = JSON.stringify({ kind: decision.kind, tier: decision.tier, detail: decision.detail });
  try {
    try {
      writeFileSync(file, text);
    } catch {
      // The first call of a project: make the directories (a thrown EEXIST costs more than this order).
      ensureDir(cacheDir);
      ensureDir(join(cacheDir, 'calls'));
      writeFileSync(file, text);
    }
    if (Math.random() < 0.01) forgetOld(join(cacheDir, 'calls'));
  } catch {
    // Without it PostToolUse records the tier as write.
  }
}

function forgetOld(dir: string): void {
  const cutoff = Date.now() - FORGET_AFTER_MS;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).mtimeMs < cutoff) rmSync(path, { force: true });
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
