import { describe, expect, it } from 'vitest';
import { compose } from '../../../src/chain/compose.js';
import { orderedStages, type Stages } from '../../../src/chain/pipeline.js';
import type { Middleware, RequestContext } from '../../../src/chain/types.js';

const ctx = {} as RequestContext;

function recorder(log: string[], name: string): Middleware {
  const stage: Middleware = async (_ctx, next) => {
    log.push(`${name}:in`);
    await next();
    log.push(`${name}:out`);
  };
  Object.defineProperty(stage, 'name', { value: name });
  return stage;
}

describe('compose', () => {
  it('runs the first stage first and finishes it last (koa onion)', async () => {
    const log: string[] = [];
    await compose([recorder(log, 'a'), recorder(log, 'b'), recorder(log, 'c')])(ctx);
    expect(log).toEqual(['a:in', 'b:in', 'c:in', 'c:out', 'b:out', 'a:out']);
  });

  it('throws CHAIN_NEXT_TWICE naming the stage that called next() twice', async () => {
    const doubleNext: Middleware = async function twice(_c, next) {
      await next();
      await next();
    };
    await expect(compose([doubleNext, async () => {}])(ctx)).rejects.toMatchObject({
      code: 'CHAIN_NEXT_TWICE',
      message: 'Stage "twice" called next() twice',
    });
  });

  it('refuses a non-function stage when the chain is built', () => {
    expect(() => compose([async () => {}, 'oops' as unknown as Middleware])).toThrow('Chain stage #1 is not a function (got string)');
  });

  it('stops the chain where a stage returns without calling next', async () => {
    const log: string[] = [];
    const gate: Middleware = async function gate() {
      log.push('gate');
    };
    await compose([recorder(log, 'a'), gate, recorder(log, 'never')])(ctx);
    expect(log).toEqual(['a:in', 'gate', 'a:out']);
  });
});

describe('pipeline order', () => {
  it('runs every stage in the documented order: audit outermost, execute innermost, post-stages after execute', async () => {
    const log: string[] = [];
    const names = ['audit', 'killSwitch', 'tier', 'policy', 'blockedPaths', 'rateLimit', 'circuitBreaker', 'confirm', 'scanArguments', 'scanResult', 'sizeCap', 'execute'] as const;
    const stages = Object.fromEntries(names.map((n) => [n, recorder(log, n)])) as unknown as Stages;
    await compose(orderedStages(stages))(ctx);
    const entered = log.filter((l) => l.endsWith(':in')).map((l) => l.slice(0, -3));
    const finished = log.filter((l) => l.endsWith(':out')).map((l) => l.slice(0, -4));
    expect(entered).toEqual([...names]);
    // After EXECUTE: size-cap, then scan-result (redaction, injection), …, audit last.
    expect(finished.slice(0, 3)).toEqual(['execute', 'sizeCap', 'scanResult']);
    expect(finished.at(-1)).toBe('audit');
  });
});
