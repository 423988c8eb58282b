import type { Tier } from '../policy/levels.js';
import { tierFromName } from '../policy/tier-names.js';

/** The server name rea records Claude Code's own tools under, and what policy rules match (`claude-code__Bash`). */
export const NATIVE_SERVER = 'claude-code';

/** Tools that take a file path, and the input keys that hold it. */
export const FILE_TOOLS: Readonly<Record<string, { readonly keys: readonly string[]; readonly writes: boolean }>> = {
  Read: { keys: ['file_path'], writes: false },
  Write: { keys: ['file_path'], writes: true },
  Edit: { keys: ['file_path'], writes: true },
  MultiEdit: { keys: ['file_path'], writes: true },
  NotebookEdit: { keys: ['notebook_path'], writes: true },
  NotebookRead: { keys: ['notebook_path'], writes: false },
  Grep: { keys: ['path'], writes: false },
  Glob: { keys: ['path'], writes: false },
  LS: { keys: ['path'], writes: false },
};

/** Tiers of the other built-in tools; anything unknown is tiered by its name like an MCP tool. */
const OTHER_TIERS: Readonly<Record<string, Tier>> = {
  WebFetch: 'read',
  WebSearch: 'read',
  TodoWrite: 'read',
  TodoRead: 'read',
  Task: 'read',
  Agent: 'read',
  ExitPlanMode: 'read',
  BashOutput: 'read',
  ListMcpResourcesTool: 'read',
  ReadMcpResourceTool: 'read',
  KillShell: 'write',
  KillBash: 'write',
  SlashCommand: 'write',
  Skill: 'read',
};

export function nativeTier(toolName: string): Tier {
  const file = FILE_TOOLS[toolName];
  if (file !== undefined) return file.writes ? 'write' : 'read';
  return OTHER_TIERS[toolName] ?? tierFromName(toolName);
}
