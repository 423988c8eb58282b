import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { callRecords, readAudit } from '../helpers/audit-log.js';
import { startGateway, useGatewayScope } from '../helpers/gateway.js';
import { fixtureEntry, tempRepo } from '../helpers/temp-repo.js';

const s = useGatewayScope();

/** Replace the policy atomically, as editors do. */
function writePolicy(root: string, body: string): void {
  const file = join(root, '.rea/policy.yaml');
  writeFileSync(`${file}.tmp`, `version: "1"\n${body}`);
  renameSync(`${file}.tmp`, file);
}

const events = (root: string, name: string) => readAudit(root).filter((r) => r.tool_name === `rea.policy.${name}`);
const text = (result: unknown) => ((result as { content?: { text: string }[] }).content ?? [])[0]?.text;

describe('policy hot reload through the gateway', () => {
  it('applies edits while calls are in flight, keeps the last good policy on an invalid edit, and records both', async () => {
    s.repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')], policy: 'version: "1"\nautonomy_level: L1\nmax_autonomy_level: L2\n' });
    s.gw = await startGateway({ root: s.repo.root });
    const client = s.gw.client;
    const root = s.repo.root;

    // Load: four callers writing in a loop until told to stop.
    let stop = false;
    const outcomes: string[] = [];
    const caller = async () => {
      while (!stop) {
        const result = await client.callTool({ name: 'echo__write_value', arguments: { key: 'k', value: 'v' } });
        outcomes.push(text(result) ?? '');
      }
    };
    const callers = [caller(), caller(), caller(), caller()];
    await vi.waitFor(() => expect(outcomes.length).toBeGreaterThan(10));

    writePolicy(root, 'autonomy_level: L0\nmax_autonomy_level: L2\n');
    await vi.waitFor(() => expect(events(root, 'reloaded')).toHaveLength(1));
    expect(text(await client.callTool({ name: 'echo__write_value', arguments: { key: 'k', value: 'v' } }))).toBe('Denied by rea: write tier needs L1');

    writePolicy(root, 'autonomy_level: L7\n');
    await vi.waitFor(() => expect(events(root, 'reload_failed')).toHaveLength(1));
    expect(events(root, 'reload_failed')[0]).toMatchObject({ status: 'error', metadata: { keptVersion: 2 } });
    expect(text(await client.callTool({ name: 'echo__write_value', arguments: { key: 'k', value: 'v' } }))).toBe('Denied by rea: write tier needs L1');
    expect(text(await client.callTool({ name: 'echo__echo', arguments: { text: 'still here' } }))).toBe('still here');

    stop = true;
    await Promise.all(callers);
    // Every call under load was either run or denied by tier: nothing failed, nothing in between.
    expect(new Set(outcomes)).toEqual(new Set(['wrote k', 'Denied by rea: write tier needs L1']));
    await vi.waitFor(() => expect(callRecords(root).filter((r) => r.tool_name === 'write_value')).toHaveLength(outcomes.length + 2));
    const records = callRecords(root).filter((r) => r.tool_name === 'write_value');
    expect(records.every((r) => (r.status === 'allowed' && r.autonomy_level === 'L1') || (r.status === 'denied' && r['deny_code'] === 'tier' && r.autonomy_level === 'L0'))).toBe(true);
  });

  it('holds a raise of autonomy made while running', async () => {
    s.repo = tempRepo({ servers: [fixtureEntry('echo', 'echo')], policy: 'version: "1"\nautonomy_level: L0\nmax_autonomy_level: L2\n' });
    s.gw = await startGateway({ root: s.repo.root });
    writePolicy(s.repo.root, 'autonomy_level: L1\nmax_autonomy_level: L2\n');
    await vi.waitFor(() => expect(events(s.repo!.root, 'promotion_pending')).toHaveLength(1));
    expect(events(s.repo.root, 'promotion_pending')[0]).toMatchObject({ metadata: { from: 'L0', to: 'L1' } });
    const result = await s.gw.client.callTool({ name: 'echo__write_value', arguments: { key: 'k', value: 'v' } });
    expect(text(result)).toBe('Denied by rea: write tier needs L1');
  });
});
