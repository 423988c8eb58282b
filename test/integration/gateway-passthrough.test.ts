import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { fixtureEntry, tempRepo, type TempRepo } from '../helpers/temp-repo.js';
import { readAudit } from '../helpers/audit-log.js';

const POLICY = 'version: "1"\nautonomy_level: L1\nmax_autonomy_level: L2\nblocked_paths: [".env", "secrets/"]\n';

/** Completions reach a downstream on the agent's behalf: recorded when allowed, and checked for blocked paths. */
describe('completions through the gateway', () => {
  let repo: TempRepo;
  let gw: RunningGateway;
  const ref = { type: 'ref/resource', uri: 'echo://items/{id}' } as const;
  const completionRecords = () => readAudit(repo.root).filter((r) => r['surface'] === 'completion' && r['phase'] === 'outcome');
  beforeAll(async () => {
    repo = tempRepo({ policy: POLICY, servers: [fixtureEntry('echo', 'echo')] });
    gw = await startGateway({ root: repo.root });
  });
  afterAll(async () => {
    await gw.close();
    repo.cleanup();
  });

  it('records an allowed completion', async () => {
    expect((await gw.client.complete({ ref, argument: { name: 'id', value: 'a' } })).completion.values).toEqual(['alpha']);
    await expect.poll(completionRecords).toEqual([expect.objectContaining({ status: 'allowed', server_name: 'echo', tool_name: 'echo://items/{id}' })]);
  });

  it('refuses a completion whose typed value names a blocked path, and records the denial', async () => {
    await expect(gw.client.complete({ ref, argument: { name: 'id', value: 'secrets/prod.key' } })).rejects.toThrow('Denied by rea: blocked path');
    await expect.poll(() => completionRecords().filter((r) => r.status === 'denied')).toEqual([expect.objectContaining({ deny_code: 'blocked_path' })]);
  });
});
