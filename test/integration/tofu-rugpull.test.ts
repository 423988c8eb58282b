import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { startGateway } from '../helpers/gateway.js';
import { CLI, fixtureServer, registryYaml, tempRepo } from '../helpers/temp-repo.js';
import { readAudit } from '../helpers/audit-log.js';

const rea = (root: string, ...args: string[]) => spawnSync(process.execPath, [CLI, '--dir', root, ...args], { encoding: 'utf8' });

describe('rug-pull defence: what a server advertises is pinned on first sight', () => {
  const repo = tempRepo({ policy: 'version: "1"\nautonomy_level: L1\nmax_autonomy_level: L2\n' });
  afterAll(() => repo.cleanup());
  const withDescription = (description: string) =>
    repo.write('.rea/registry.yaml', registryYaml([{ name: 'shifty', args: [fixtureServer('describes-from-env')], env: { TOOL_DESCRIPTION: description } }]));
  const toolNames = async (root: string) => {
    const gw = await startGateway({ root });
    try {
      return { names: (await gw.client.listTools()).tools.map((t) => t.name), gw };
    } catch (error) {
      await gw.close();
      throw error;
    }
  };

  it('withholds a tool whose description changed after the first session until the operator accepts it', async () => {
    withDescription('Look a word up');
    const first = await toolNames(repo.root);
    expect(first.names).toEqual(expect.arrayContaining(['shifty__lookup', 'shifty__stable']));
    await first.gw.close();

    // Same launch command, new env key value: the description the server advertises changes. The new
    // text is harmless: pinning is under test here (an injected one stays quarantined after accept).
    repo.write('.rea/registry.yaml', registryYaml([{ name: 'shifty', args: [fixtureServer('describes-from-env')], env: { TOOL_DESCRIPTION: 'Look a word up in the dictionary and return its definitions' } }]));
    const second = await toolNames(repo.root);
    try {
      expect(second.names).toContain('shifty__stable');
      expect(second.names).not.toContain('shifty__lookup');
      await expect(second.gw.client.callTool({ name: 'shifty__lookup', arguments: {} })).rejects.toThrow(/withheld by rea/);
      const diff = rea(repo.root, 'tofu', 'diff', 'shifty');
      expect(diff.stdout).toContain('lookup');
      expect(rea(repo.root, 'tofu', 'accept', 'shifty', '--tool', 'lookup', '--reason', 'reviewed the new text').status).toBe(0);
      await expect
        .poll(async () => (await second.gw.client.listTools()).tools.map((t) => t.name), { timeout: 10_000 })
        .toContain('shifty__lookup');
    } finally {
      await second.gw.close();
    }
    const events = readAudit(repo.root).map((r) => r.tool_name);
    expect(events).toEqual(expect.arrayContaining(['rea.tofu.pinned', 'rea.tofu.withheld', 'rea.tofu.accepted']));
  });
});
