import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { startGateway, useGatewayScope } from '../helpers/gateway.js';
import { CLI, fixtureEntry, tempRepo } from '../helpers/temp-repo.js';
import { readAudit } from '../helpers/audit-log.js';

const policy = (level: string) =>
  `version: "1"\nautonomy_level: ${level}\nmax_autonomy_level: L3\npromotion_requires_human_approval: true\n`;
const rea = (root: string, ...args: string[]) => spawnSync(process.execPath, [CLI, '--dir', root, ...args], { encoding: 'utf8' });
const status = (root: string) => JSON.parse(rea(root, 'status', '--json').stdout) as { policy: { autonomy_level: string; pending_promotion: unknown; last_error: string | null } };

describe('hot reload and held raises of autonomy', () => {
  const s = useGatewayScope();

  it('holds a raise until the operator approves it on a terminal (client without elicitation)', async () => {
    s.repo = tempRepo({ policy: policy('L1'), servers: [fixtureEntry('echo', 'echo')] });
    s.gw = await startGateway({ root: s.repo.root });
    const destructive = () => s.gw!.client.callTool({ name: 'echo__delete_value', arguments: { key: 'k' } });
    expect((await destructive()).isError).toBe(true);
    s.repo.write('.rea/policy.yaml', policy('L3'));
    await expect.poll(async () => (await destructive(), status(s.repo!.root).policy.pending_promotion), { timeout: 10_000 }).toEqual({ from: 'L1', to: 'L3' });
    expect((await destructive()).isError).toBe(true);
    const approved = rea(s.repo.root, 'promote', '--approve');
    expect(approved.stdout).toContain('Approved the raise L1 → L3');
    await expect.poll(async () => (await destructive()).isError, { timeout: 10_000 }).toBeFalsy();
    const events = readAudit(s.repo.root).map((r) => r.tool_name);
    expect(events).toEqual(expect.arrayContaining(['rea.policy.promotion_pending', 'rea.policy.promotion_approve', 'rea.policy.promotion_confirmed']));
  });

  it('asks the user through elicitation and applies the raise when they accept', async () => {
    s.repo = tempRepo({ policy: policy('L1'), servers: [fixtureEntry('echo', 'echo')] });
    const asked: string[] = [];
    s.gw = await startGateway({
      root: s.repo.root,
      capabilities: { elicitation: {} },
      configureClient: (client) =>
        client.setRequestHandler(ElicitRequestSchema, async (request) => {
          asked.push(request.params.message);
          return { action: 'accept', content: { approve: true } };
        }),
    });
    await s.gw.client.callTool({ name: 'echo__echo', arguments: { text: 'x' } });
    s.repo.write('.rea/policy.yaml', policy('L3'));
    await expect
      .poll(async () => (await s.gw!.client.callTool({ name: 'echo__delete_value', arguments: { key: 'k' } })).isError, { timeout: 10_000 })
      .toBeFalsy();
    expect(asked[0]).toBe('The policy file now asks for autonomy L3 (currently L1). Allow the agent this level?');
  });

  it('keeps the last good policy on an invalid edit, shows the error in status, and recovers on a fix', async () => {
    s.repo = tempRepo({ policy: policy('L1'), servers: [fixtureEntry('echo', 'echo')] });
    s.gw = await startGateway({ root: s.repo.root });
    await s.gw.client.callTool({ name: 'echo__echo', arguments: { text: 'x' } });
    s.repo.write('.rea/policy.yaml', 'version: "1"\nautonomy_level: L9\n');
    await expect
      .poll(async () => (await s.gw!.client.callTool({ name: 'echo__echo', arguments: { text: 'x' } }), status(s.repo!.root).policy.last_error), { timeout: 10_000 })
      .toContain('`autonomy_level` must be one of L0, L1, L2, L3');
    expect((await s.gw.client.callTool({ name: 'echo__write_value', arguments: { key: 'k', value: 'v' } })).isError).toBeFalsy();
    expect((await s.gw.client.callTool({ name: 'echo__delete_value', arguments: { key: 'k' } })).isError).toBe(true);
    expect(readAudit(s.repo.root).some((r) => r.tool_name === 'rea.policy.reload_failed' && r.status === 'error')).toBe(true);
    s.repo.write('.rea/policy.yaml', policy('L0'));
    await expect
      .poll(async () => (await s.gw!.client.callTool({ name: 'echo__write_value', arguments: { key: 'k', value: 'v' } })).isError, { timeout: 10_000 })
      .toBe(true);
    await expect.poll(() => status(s.repo!.root).policy, { timeout: 5000 }).toMatchObject({ autonomy_level: 'L0', last_error: null });
  });
});
