import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs a project's hooks the way Claude Code does: the commands registered in
 * `.claude/settings.json` for the event whose matcher fits the tool (`*` or empty for all, else a
 * regex over the tool name), each through `sh -c`, the event JSON on stdin, `CLAUDE_PROJECT_DIR`
 * set. Claude Code blocks the call on exit 2 (stderr is the reason) and reads JSON from stdout.
 */
export interface HookRun {
  readonly command: string;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface HookOutcome {
  readonly runs: readonly HookRun[];
  /** What Claude Code would do: `deny` on any exit 2 or JSON deny, `ask` on JSON ask, else `allow`. */
  readonly decision: 'allow' | 'deny' | 'ask';
  readonly reason: string;
  readonly json: readonly Record<string, unknown>[];
}

let toolUseCounter = 0;

export function runClaudeHooks(
  root: string,
  event: 'PreToolUse' | 'PostToolUse',
  tool: string,
  input: Record<string, unknown>,
  extra: { toolUseId?: string; response?: unknown; env?: NodeJS.ProcessEnv; cwd?: string; raw?: string } = {},
): HookOutcome {
  const settings = JSON.parse(readFileSync(join(root, '.claude', 'settings.json'), 'utf8')) as { hooks?: Record<string, { matcher?: string; hooks?: { command: string }[] }[]> };
  const groups = settings.hooks?.[event] ?? [];
  const commands = groups.filter((g) => matches(g.matcher, tool)).flatMap((g) => (g.hooks ?? []).map((h) => h.command));
  toolUseCounter += 1;
  const body =
    extra.raw ??
    JSON.stringify({
      session_id: 'test-session',
      transcript_path: '/dev/null',
      cwd: extra.cwd ?? root,
      hook_event_name: event,
      tool_name: tool,
      tool_input: input,
      tool_use_id: extra.toolUseId ?? `toolu_test_${process.pid}_${toolUseCounter}`,
      ...(event === 'PostToolUse' ? { tool_response: extra.response ?? {} } : {}),
    });
  const runs = commands.map((command) => {
    const run = spawnSync('sh', ['-c', command], { input: body, cwd: extra.cwd ?? root, env: { ...process.env, CLAUDE_PROJECT_DIR: root, ...extra.env }, encoding: 'utf8', timeout: 60_000 });
    return { command, status: run.status, stdout: run.stdout, stderr: run.stderr };
  });
  const json = runs.flatMap((r) => r.stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>));
  const denied = runs.find((r) => r.status === 2);
  const jsonDecision = json.map((j) => (j['hookSpecificOutput'] as { permissionDecision?: string } | undefined)?.permissionDecision).find(Boolean);
  const decision = denied !== undefined || jsonDecision === 'deny' ? 'deny' : jsonDecision === 'ask' ? 'ask' : 'allow';
  return { runs, decision, reason: denied?.stderr ?? JSON.stringify(json), json };
}

function matches(matcher: string | undefined, tool: string): boolean {
  if (matcher === undefined || matcher === '' || matcher === '*') return true;
  return new RegExp(`^(?:${matcher})$`).test(tool);
}
