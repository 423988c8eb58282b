import { hookScriptOf, shellQuote, type ReaInstall } from './rea-install.js';

/**
 * rea's entries in `.claude/settings.json`: one PreToolUse and one PostToolUse hook for every tool.
 * Claude Code runs a hook command with `sh -c` and lets the call through on any exit but 2, so
 * the command itself fails closed: a missing script or node is a refusal with a reason, and so is
 * a hook process that dies for any reason.
 */
export const HOOK_EVENTS = { PreToolUse: 'pre-tool-use', PostToolUse: 'post-tool-use' } as const;
/** How rea finds its own entries again (idempotent installs, undo, doctor). */
const REA_HOOK_MARK = 'REA_HOOK';

function hookCommand(install: ReaInstall, event: keyof typeof HOOK_EVENTS): string {
  const script = hookScriptOf(install, HOOK_EVENTS[event]);
  return [
    `${REA_HOOK_MARK}=${HOOK_EVENTS[event]}`,
    `f=${shellQuote(script)}`,
    `n=${shellQuote(install.node)}`,
    '[ -x "$n" ] || n=$(command -v node)',
    `if [ -f "$f" ] && [ -n "$n" ]; then "$n" "$f" || exit 2; else echo "rea: cannot run its ${event} hook ($f, node $n): rea was moved or uninstalled, so this call is refused. Reinstall rea and run rea init again, or remove rea's hooks from .claude/settings.json." >&2; exit 2; fi`,
  ].join('; ');
}

type Json = Record<string, unknown>;

interface HookGroup {
  matcher?: string;
  hooks?: { type?: string; command?: string }[];
}

function isReaHook(command: unknown): boolean {
  return typeof command === 'string' && command.startsWith(`${REA_HOOK_MARK}=`);
}

/** The settings with rea's hooks in place (replacing older rea entries), everything else kept. */
export function withReaHooks(settings: Json, install: ReaInstall): Json {
  const hooks = { ...((settings['hooks'] as Json | undefined) ?? {}) };
  for (const event of Object.keys(HOOK_EVENTS) as (keyof typeof HOOK_EVENTS)[]) {
    const groups = withoutRea((hooks[event] as HookGroup[] | undefined) ?? []);
    hooks[event] = [{ matcher: '*', hooks: [{ type: 'command', command: hookCommand(install, event) }] }, ...groups];
  }
  return { ...settings, hooks };
}

/** The settings with rea's hooks taken out (empty groups and events dropped). */
export function withoutReaHooks(settings: Json): Json {
  const hooks = settings['hooks'] as Json | undefined;
  if (hooks === undefined) return settings;
  const out: Json = {};
  for (const [event, groups] of Object.entries(hooks)) {
    const kept = Array.isArray(groups) ? withoutRea(groups as HookGroup[]) : groups;
    if (!Array.isArray(kept) || kept.length > 0) out[event] = kept;
  }
  const rest = { ...settings };
  if (Object.keys(out).length > 0) rest['hooks'] = out;
  else delete rest['hooks'];
  return rest;
}

function withoutRea(groups: readonly HookGroup[]): HookGroup[] {
  return groups
    .map((g) => (Array.isArray(g.hooks) ? { ...g, hooks: g.hooks.filter((h) => !isReaHook(h.command)) } : g))
    .filter((g) => !Array.isArray(g.hooks) || g.hooks.length > 0);
}

/** rea's hook commands registered for each event (for doctor). */
export function registeredReaHooks(settings: Json): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const hooks = (settings['hooks'] as Record<string, HookGroup[]> | undefined) ?? {};
  for (const event of Object.keys(HOOK_EVENTS)) {
    out[event] = (Array.isArray(hooks[event]) ? hooks[event]! : []).flatMap((g) => (g.hooks ?? []).map((h) => h.command).filter(isReaHook)) as string[];
  }
  return out;
}
