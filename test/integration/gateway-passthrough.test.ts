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

// Review finding 12: `servers.<name>.allow`/`deny` and `tools[].deny` used to govern tools only.
describe('server allow and deny lists beyond tools', () => {
  let repo: TempRepo | undefined;
  let gw: RunningGateway | undefined;
  afterAll(async () => {
    await gw?.close();
    repo?.cleanup();
  });

  it('silences every surface of a server whose allow list is empty', async () => {
    repo = tempRepo({ policy: `${POLICY}servers:\n  quiet:\n    allow: []\n`, servers: [fixtureEntry('quiet', 'echo')] });
    gw = await startGateway({ root: repo.root });
    const client = gw.client;
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['__rea__health']);
    expect((await client.listPrompts()).prompts).toEqual([]);
    expect((await client.listResources()).resources).toEqual([]);
    expect((await client.listResourceTemplates()).resourceTemplates).toEqual([]);
    await expect(client.getPrompt({ name: 'quiet__greet', arguments: { who: 'x' } })).rejects.toThrow('Denied by rea: tool not allowed by policy');
    await expect(client.readResource({ uri: 'echo://readme' })).rejects.toThrow('Denied by rea: tool not allowed by policy');
    await expect(client.complete({ ref: { type: 'ref/resource', uri: 'echo://items/{id}' }, argument: { name: 'id', value: 'a' } })).rejects.toThrow(
      'Denied by rea: tool not allowed by policy',
    );
    const denied = readAudit(repo.root).filter((r) => r['deny_code'] === 'policy');
    expect(denied.map((r) => r['surface'])).toEqual(['prompt', 'resource', 'completion']);
  });

  it('refuses and hides prompts whose names a server deny list or a tools deny rule matches, as it does tools', async () => {
    await gw?.close();
    repo?.cleanup();
    repo = tempRepo({ policy: `${POLICY}servers:\n  echo:\n    deny: ["gree*"]\n`, servers: [fixtureEntry('echo', 'echo')] });
    gw = await startGateway({ root: repo.root });
    expect((await gw.client.listPrompts()).prompts).toEqual([]);
    await expect(gw.client.getPrompt({ name: 'echo__greet', arguments: { who: 'x' } })).rejects.toThrow('Denied by rea: tool not allowed by policy');
    await expect(gw.client.readResource({ uri: 'echo://readme' })).resolves.toMatchObject({ contents: [{ text: 'readme text' }] });
  });
});
