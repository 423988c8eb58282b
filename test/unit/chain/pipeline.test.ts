import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compose } from '../../../src/chain/compose.js';
import { stageLists, type PipelineName } from '../../../src/chain/pipeline.js';
import type { Middleware, RequestContext } from '../../../src/chain/types.js';
import { compileScanOptions } from '../../../src/scan/scan-options.js';

const root = mkdtempSync(join(tmpdir(), 'rea-pipeline-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const lists = stageLists({
  root,
  haltPath: join(root, '.rea', 'HALT'),
  tierOverrides: () => undefined,
  auditLog: () => undefined,
  scanOptions: () => compileScanOptions(),
  breakerOf: () => undefined,
});
const names = (name: PipelineName): string[] => lists[name].map((stage) => stage.name);

describe('pipeline order, per surface', () => {
  it('runs a tool call through every stage: audit outermost, the intent record just before execute', () => {
    expect(names('tool')).toEqual([
      'audit',
      'killSwitch',
      'tier',
      'policy',
      'blockedPaths',
      'rateLimit',
      'circuitBreaker',
      'confirm',
      'scanArguments',
      'scanResult',
      'sizeCap',
      'intent',
      'execute',
    ]);
  });

  it('runs resource reads and prompts without the tier, confirm and intent stages (they only read)', () => {
    const reads = ['audit', 'killSwitch', 'policy', 'blockedPaths', 'rateLimit', 'circuitBreaker', 'scanArguments', 'scanResult', 'sizeCap', 'execute'];
    expect(names('resource')).toEqual(reads);
    expect(names('prompt')).toEqual(reads);
  });

  it('runs sampling and elicitation without the circuit breaker (the agent\'s client answers them)', () => {
    const towardsClient = ['audit', 'killSwitch', 'policy', 'blockedPaths', 'rateLimit', 'scanArguments', 'scanResult', 'sizeCap', 'execute'];
    expect(names('sampling')).toEqual(towardsClient);
    expect(names('elicitation')).toEqual(towardsClient);
  });

  it('runs completions, subscriptions and task results through the passthrough list', () => {
    expect(names('passthrough')).toEqual(['audit', 'killSwitch', 'policy', 'blockedPaths', 'scanResult', 'sizeCap', 'execute']);
  });

  it('records rea\'s own tools and does nothing else with them', () => {
    expect(names('internal')).toEqual(['audit', 'execute']);
  });

  it('finishes post-stages in reverse: execute, then size-cap, then scan-result, audit last', async () => {
    const log: string[] = [];
    const recorded = lists.tool.map((stage): Middleware => {
      const named: Middleware = async (_ctx, next) => {
        log.push(`${stage.name}:in`);
        if (stage.name !== 'execute') await next();
        log.push(`${stage.name}:out`);
      };
      return named;
    });
    await compose(recorded)({} as RequestContext);
    const finished = log.filter((l) => l.endsWith(':out')).map((l) => l.slice(0, -4));
    expect(finished.slice(0, 4)).toEqual(['execute', 'intent', 'sizeCap', 'scanResult']);
    expect(finished.at(-1)).toBe('audit');
    expect(log.filter((l) => l.endsWith(':in')).map((l) => l.slice(0, -3))).toEqual(names('tool'));
  });
});
