import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { compileScanOptions } from '../../src/scan/scan-options.js';
import { decideCatalogItem, scanCatalogItem } from '../../src/scan/catalog-scan.js';
import { tierFromHints } from '../../src/policy/tier-classifier.js';
import { tierFromName } from '../../src/policy/tier-names.js';
import type { Tier } from '../../src/policy/levels.js';

// The real reference servers, over real stdio: what they advertise is what rea scans in a catalog.
describe('reference servers (issue 12: their descriptions must all pass)', () => {
  // What the gateway does with each under the default policy (THREAT_MODEL T13): none may be
  // quarantined, and none may read as a likely injection. A `suspicious` read-tier description is
  // served with a warning; this model warns on one (filesystem `get_file_info`, whose "This tool is
  // perfect for …" the n-grams read like a poisoned description's praise), README "Detection quality".
  it('serves every tool, prompt and instructions text of the reference servers: none quarantined, none a likely injection', async () => {
    const require = createRequire(import.meta.url);
    const dir = mkdtempSync(join(tmpdir(), 'rea-ref-'));
    const options = compileScanOptions();
    const servers: Record<string, string[]> = {
      everything: [require.resolve('@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'],
      filesystem: [require.resolve('@modelcontextprotocol/server-filesystem/dist/index.js'), dir],
      memory: [require.resolve('@modelcontextprotocol/server-memory/dist/index.js')],
    };
    const flagged: string[] = [];
    let seen = 0;
    try {
      for (const [name, args] of Object.entries(servers)) {
        const client = new Client({ name: 'rea-test', version: '0' });
        const transport = new StdioClientTransport({ command: process.execPath, args, env: { PATH: process.env['PATH'] ?? '', MEMORY_FILE_PATH: join(dir, 'memory.json') }, stderr: 'ignore' });
        await client.connect(transport);
        try {
          const { tools } = await client.listTools();
          const prompts = client.getServerCapabilities()?.prompts ? (await client.listPrompts()).prompts : [];
          const items = [...tools.map((t) => ['tool', t.name, t] as const), ...prompts.map((p) => ['prompt', p.name, p] as const)];
          const instructions = client.getInstructions();
          for (const [kind, itemName, item] of [...items, ...(instructions ? [['instructions', name, instructions] as const] : [])]) {
            seen++;
            const scan = scanCatalogItem(options, kind, item);
            const decision = decideCatalogItem(options, kind, itemName, scan, kind === 'tool' ? tierOf(itemName, (item as { annotations?: object }).annotations ?? {}) : 'read');
            if (scan.verdict === 'likely_injection' || decision.action === 'quarantine') flagged.push(`${name}:${itemName} ${scan.verdict} ${scan.score}`);
          }
        } finally {
          await client.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(seen).toBeGreaterThan(30);
    expect(flagged).toEqual([]);
  }, 60_000);
});

const TIERS: Tier[] = ['read', 'write', 'destructive'];
/** The more cautious of the name's tier and the annotations', as the gateway decides without policy rules. */
function tierOf(name: string, hints: Parameters<typeof tierFromHints>[0]): Tier {
  const byHints = tierFromHints(hints) ?? 'read';
  return TIERS[Math.max(TIERS.indexOf(tierFromName(name)), TIERS.indexOf(byHints))] ?? 'destructive';
}
