import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Does `.mcp.json` run this server through rea (`rea serve`, or `rea serve --wrap -- …`)? Tools of
 * such servers are governed by the gateway, so the hook lets them pass.
 */
export function mcpServerGoesThroughRea(root: string, server: string): boolean {
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(join(root, '.mcp.json'), 'utf8'));
  } catch {
    return false;
  }
  const servers = (config as { mcpServers?: Record<string, { command?: unknown; args?: unknown }> } | null)?.mcpServers;
  const entry = servers?.[server];
  if (entry === undefined || typeof entry.command !== 'string') return false;
  const argv = [entry.command, ...(Array.isArray(entry.args) ? entry.args.map(String) : [])];
  const serve = argv.indexOf('serve');
  return serve > 0 && argv.slice(0, serve).some((a) => /(?:^|\/)rea$|rea\/dist\/cli\/index\.js$/.test(a));
}
