/** Separator between server and tool or prompt names, as Claude Code shows MCP tools. */
export const NAME_SEPARATOR = '__';

/**
 * `<server>__<name>`: how a tool or prompt is named to the agent (multi-server mode) and, in every
 * mode, what policy globs match.
 */
export function qualify(server: string, name: string): string {
  return `${server}${NAME_SEPARATOR}${name}`;
}
