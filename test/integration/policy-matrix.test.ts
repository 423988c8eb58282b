import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { callRecords } from '../helpers/audit-log.js';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { fixtureEntry, tempRepo, type TempRepo } from '../helpers/temp-repo.js';

/** The echo fixture's tools, one per tier. */
const TOOLS = [
  { tool: 'echo', tier: 'read', args: { text: 'hi' }, ok: 'hi' },
  { tool: 'write_value', tier: 'write', args: { key: 'k', value: 'v' }, ok: 'wrote k' },
  { tool: 'delete_value', tier: 'destructive', args: { key: 'k' }, ok: 'deleted k' },
] as const;

type Expect = { kind: 'allow'; confirmed?: boolean } | { kind: 'deny'; code: string; message: string; reason: string };

function expected(level: string, tier: string, tool: string): Expect {
  const reason = (needs: string) => `${tier} tool echo__${tool} at autonomy ${level} (needs ${needs})`;
  if (tier === 'write' && level === 'L0') return { kind: 'deny', code: 'tier', message: 'write tier needs L1', reason: reason('L1') };
  if (tier === 'destructive' && (level === 'L0' || level === 'L1')) return { kind: 'deny', code: 'tier', message: 'destructive tier needs L2', reason: reason('L2') };
  if (tier === 'destructive' && level === 'L2') return { kind: 'allow', confirmed: true };
  return { kind: 'allow' };
}

const acceptAll = (client: Client) => client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { confirm: true } }));

describe.each(['L0', 'L1', 'L2', 'L3'])('through the gateway at %s', (level) => {
  let repo: TempRepo;
  let gw: RunningGateway;
  beforeAll(async () => {
    repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')], policy: `version: "1"\nautonomy_level: ${level}\nmax_autonomy_level: L3\n` });
    gw = await startGateway({ root: repo.root, capabilities: { elicitation: {} }, configureClient: acceptAll });
  });
  afterAll(async () => {
    await gw?.close();
    repo?.cleanup();
  });

  it.each(TOOLS)('decides a $tier tool as the L0..L3 contract says and records it', async ({ tool, tier, args, ok }) => {
    const want = expected(level, tier, tool);
    const result = await gw.client.callTool({ name: `echo__${tool}`, arguments: args });
    // The outcome record may land just after the answer (group commit): wait for it, not for time.
    const record = await vi.waitFor(() => {
      const found = callRecords(repo.root).find((r) => r.tool_name === tool);
      if (!found) throw new Error(`no outcome record for ${tool} yet`);
      return found;
    });
    if (want.kind === 'allow') {
      expect(result.isError).toBeFalsy();
      expect((result.content as { text: string }[])[0]!.text).toBe(ok);
      expect(record).toMatchObject({ status: 'allowed', tier, autonomy_level: level, server_name: 'echo' });
      if (want.confirmed) expect(record?.metadata?.['confirmation']).toBe('accept');
      else expect(record?.metadata?.['confirmation']).toBeUndefined();
    } else {
      expect(result).toMatchObject({ isError: true, content: [{ type: 'text', text: `Denied by rea: ${want.message}` }] });
      expect(record).toMatchObject({ status: 'denied', tier, autonomy_level: level, deny_code: want.code, deny_stage: 'policy', error: want.reason });
    }
  });
});

describe('allow and deny rules through the gateway', () => {
  let repo: TempRepo;
  let gw: RunningGateway;
  beforeAll(async () => {
    const policy = [
      'version: "1"',
      'autonomy_level: L3',
      'max_autonomy_level: L3',
      'tools:',
      '  - match: "echo__write_*"',
      '    deny: true',
      'servers:',
      '  echo:',
      '    allow: ["echo", "write_value", "slow"]',
      '',
    ].join('\n');
    repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')], policy });
    gw = await startGateway({ root: repo.root });
  });
  afterAll(async () => {
    await gw?.close();
    repo?.cleanup();
  });

  it('hides tools the policy denies outright from tools/list', async () => {
    const names = (await gw.client.listTools()).tools.map((t) => t.name);
    expect(names).toContain('echo__echo');
    expect(names).not.toContain('echo__write_value');
    expect(names).not.toContain('echo__delete_value');
  });

  it('refuses a call to a hidden tool, even at L3, without reaching the downstream', async () => {
    await expect(gw.client.callTool({ name: 'echo__write_value', arguments: { key: 'k', value: 'v' } })).rejects.toThrow(
      'Unknown tool "write_value" on server "echo"',
    );
    await expect(gw.client.callTool({ name: 'echo__delete_value', arguments: { key: 'k' } })).rejects.toThrow('Unknown tool "delete_value" on server "echo"');
    expect(callRecords(repo.root).filter((r) => r.status === 'allowed' && r.tool_name !== 'echo')).toEqual([]);
  });

  it('still runs the tools the rules allow', async () => {
    const result = await gw.client.callTool({ name: 'echo__echo', arguments: { text: 'ok' } });
    expect(result.isError).toBeFalsy();
    await vi.waitFor(() => expect(callRecords(repo.root).at(-1)).toMatchObject({ tool_name: 'echo', status: 'allowed', autonomy_level: 'L3' }));
  });
});
