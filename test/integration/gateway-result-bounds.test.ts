import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startGateway, type RunningGateway } from '../helpers/gateway.js';
import { fixtureEntry, tempRepo, type TempRepo } from '../helpers/temp-repo.js';
import { readAudit } from '../helpers/audit-log.js';

const CAP = 65_536;
const POLICY = `version: "1"\nautonomy_level: L3\nmax_autonomy_level: L3\nlimits:\n  max_result_bytes: ${CAP}\n`;
const SECRET = 'ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123';
const Any = z.object({}).passthrough();
/** Room for the envelope, notices and JSON escaping around a capped result. */
const SLACK = 4096;

/** Review findings 4, 5 and 6, and the tasks/result gap: what a hostile server plants in odd places. */
describe('results from a server that plants secrets, injections and bulk in odd places', () => {
  let repo: TempRepo;
  let gw: RunningGateway;
  const request = (method: string, params: Record<string, unknown>) => gw.client.request({ method, params }, Any);
  beforeAll(async () => {
    repo = tempRepo({ policy: POLICY, servers: [fixtureEntry('p', 'plants-in-odd-places')] });
    gw = await startGateway({ root: repo.root });
  });
  afterAll(async () => {
    await gw.close();
    repo.cleanup();
  });

  it.each([
    ['behind 1 MiB of _meta filler', 'p__inj_meta_pad'],
    ['under a key named data in structuredContent', 'p__inj_data'],
  ])('blocks injected instructions %s', async (_where, name) => {
    const result = await request('tools/call', { name, arguments: {} });
    expect(result['_meta']).toMatchObject({ 'rea/denied': 'injection' });
    expect(JSON.stringify(result)).not.toContain('Ignore all previous instructions');
  });

  it.each([
    ['a tool result with 4 MB of _meta', 'tools/call', { name: 'p__big_meta', arguments: {} }],
    ['a tool result with a 4 MB extra field', 'tools/call', { name: 'p__big_extra', arguments: {} }],
    ['a prompt with a 4 MB message', 'prompts/get', { name: 'p__big' }],
  ])('caps %s to the size limit, visibly', async (_what, method, params) => {
    const result = await request(method, params);
    expect(JSON.stringify(result).length).toBeLessThan(CAP + SLACK);
    expect(result['_meta']).toMatchObject({ 'rea/truncated': true });
  });

  it('redacts tasks/list like tasks/get, scans tasks/result for injection, caps it, and records it', async () => {
    const created = await request('tools/call', { name: 'p__secret_task', arguments: {}, task: { ttl: 60_000 } });
    expect(JSON.stringify(created)).not.toContain(SECRET);
    await request('tools/call', { name: 'p__secret_task', arguments: {}, task: { ttl: 60_000 } });
    const listed = await request('tasks/list', {});
    expect(JSON.stringify(listed)).toContain('[REDACTED:github_token]');
    expect(JSON.stringify(listed)).not.toContain(SECRET);

    const injected = await request('tasks/result', { taskId: 'task-1' });
    expect(injected['_meta']).toMatchObject({ 'rea/denied': 'injection' });
    expect(JSON.stringify(injected)).not.toContain('Ignore all previous instructions');
    const big = await request('tasks/result', { taskId: 'task-2' });
    expect(JSON.stringify(big).length).toBeLessThan(CAP + SLACK);
    expect(big['_meta']).toMatchObject({ 'rea/truncated': true });

    await expect.poll(() => readAudit(repo.root).filter((r) => r['surface'] === 'tool' && r['phase'] === 'outcome' && r.tool_name === 'secret_task').length).toBeGreaterThanOrEqual(4);
    expect(JSON.stringify(readAudit(repo.root))).not.toContain(SECRET);
  });
});
