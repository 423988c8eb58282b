import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { compileScanOptions } from '../../src/scan/scan-options.js';
import { scanCatalogItem } from '../../src/scan/catalog-scan.js';

// The real reference servers, over real stdio: what they advertise is what rea scans in a catalog.
describe('reference servers (issue 12: their descriptions must all pass)', () => {
  it('leaves every tool, prompt and instructions text of the reference servers clean', async () => {
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
            if (scan.verdict !== 'clean') flagged.push(`${name}:${itemName} ${scan.verdict} ${scan.score}`);
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
