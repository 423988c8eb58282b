import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { digestArgs } from '../../src/audit/record.js';
import { isProcessAlive, startGateway } from '../helpers/gateway.js';
import { CLI, fixtureEntry, tempRepo } from '../helpers/temp-repo.js';
import { readAudit } from '../helpers/audit-log.js';
import { seededRandom } from '../helpers/seeded-random.js';

const ROUNDS = 5;
/** The kill points are random but reproducible: a failure names its seed; REA_TEST_SEED replays it. */
const SEED = Number(process.env['REA_TEST_SEED'] ?? 20261104);

describe(`audit survives kill -9 of the gateway mid-traffic (seed ${SEED})`, () => {
  const repo = tempRepo({ policy: 'version: "1"\nautonomy_level: L3\nmax_autonomy_level: L3\n', servers: [fixtureEntry('echo', 'echo')] });
  afterAll(() => repo.cleanup());

  it('keeps a verifiable chain with an outcome record for every call whose response the client received', async () => {
    const random = seededRandom(SEED);
    const acknowledged: { params: Record<string, unknown>; denied?: string; callId?: string }[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const gw = await startGateway({ root: repo.root });
      const killAfter = 5 + Math.floor(random() * 40);
      let received = 0;
      let stop = false;
      const worker = async (w: number) => {
        for (let i = 0; !stop; i += 1) {
          const params = i % 2 === 0
            ? { name: 'echo__echo', arguments: { text: `r${round}-w${w}-${i}` } }
            : { name: 'echo__write_value', arguments: { key: `r${round}-w${w}-${i}`, value: 'v' } };
          try {
            const result = await gw.client.callTool(params);
            const meta = (result._meta ?? {}) as Record<string, string>;
            acknowledged.push({ params, denied: meta['rea/denied'], callId: meta['rea/call_id'] });
            if (++received === killAfter) {
              process.kill(gw.pid, 'SIGKILL');
              stop = true;
            }
          } catch {
            stop = true; // the connection died with the gateway: unacknowledged, nothing to check
          }
        }
      };
      await Promise.all([0, 1, 2, 3].map(worker));
      await expect.poll(() => isProcessAlive(gw.pid)).toBe(false);
      await gw.close().catch(() => undefined);
    }
    // A last clean start recovers any torn tail the final kill left, then a graceful stop.
    const last = await startGateway({ root: repo.root });
    await last.client.listTools();
    await last.close();

    const records = readAudit(repo.root);
    const outcomes = new Set(records.filter((r) => r['phase'] === 'outcome').map((r) => String(r['args_digest'])));
    // A call refused because its record could not be written (the killed gateway's lock was still
    // fresh) is itself recorded, by call id, once writing works again.
    const noted = new Set(
      records
        .filter((r) => r.tool_name === 'rea.audit.write_failed')
        .flatMap((r) => ((r.metadata?.['records'] ?? []) as { call_id?: string }[]).map((x) => x.call_id)),
    );
    const missing = acknowledged.filter((a) =>
      a.denied === 'audit_unavailable' ? !noted.has(a.callId) : !outcomes.has(digestArgs(a.params)),
    );
    expect(acknowledged.length).toBeGreaterThan(ROUNDS * 5);
    expect(missing).toEqual([]);
    const verify = spawnSync(process.execPath, [CLI, '--dir', repo.root, 'audit', 'verify'], { encoding: 'utf8' });
    expect(verify.stdout + verify.stderr).toMatch(/clean/);
    expect(verify.status).toBe(0);
  }, 120_000);
});
