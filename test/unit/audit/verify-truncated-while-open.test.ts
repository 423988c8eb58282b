import { mkdtempSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog, chainFiles, verifyChain } from '../../../src/audit/index.js';

describe('verify after the log was cut short under an open writer', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('reports records cut from under an open writer at the line where the chain resumes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rea-trunc-'));
    dirs.push(dir);
    const path = join(dir, '.rea', 'audit.jsonl');
    const log = await AuditLog.open(path, { sessionId: 's' });
    for (let i = 0; i < 6; i += 1) await log.append({ tool_name: `t${i}`, server_name: 's', status: 'allowed' });
    const lines = readFileSync(path, 'utf8').split('\n');
    const keep = lines.slice(0, 3).join('\n') + '\n';
    truncateSync(path, Buffer.byteLength(keep));
    // Someone else could have done this. The writer either notices the shrink when it revalidates
    // (a recovery record: 'truncated') or, inside a lock hold, chains from the lost head ('deleted').
    await log.append({ tool_name: 'after', server_name: 's', status: 'allowed' });
    await log.close();

    const { files, startRule } = await chainFiles(path);
    const report = await verifyChain({ files, startRule });
    expect(report.ok).toBe(false);
    expect(report.firstBreak?.line).toBe(4);
    expect(['truncated', 'deleted']).toContain(report.firstBreak?.reason);
  });
});
