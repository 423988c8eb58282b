import { describe, expect, it } from 'vitest';
import { compose } from '../../../src/chain/compose.js';
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

  it('throws CHAIN_SKIPPED_NEXT when a stage returns without awaiting next(), so the request is not recorded before it ends', async () => {
    const log: string[] = [];
    let release!: () => void;
    const slow: Middleware = async function slow() {
      await new Promise<void>((resolve) => (release = resolve));
      log.push('slow done');
    };
    const hasty: Middleware = async function hasty(_c, next) {
      void next();
    };
    const running = compose([recorder(log, 'a'), hasty, slow])(ctx);
    await expect(running).rejects.toMatchObject({
      code: 'CHAIN_SKIPPED_NEXT',
      message: 'Stage "hasty" returned before the stages after it finished (it did not await next())',
    });
    expect(log).toEqual(['a:in']);
    release();
  });

  it('accepts a stage that returns next()\'s promise without awaiting it itself', async () => {
    const log: string[] = [];
    const passing: Middleware = function passing(_c, next) {
      return next();
    };
    await compose([recorder(log, 'a'), passing, recorder(log, 'b')])(ctx);
    expect(log).toEqual(['a:in', 'b:in', 'b:out', 'a:out']);
  });

  it('throws CHAIN_SKIPPED_NEXT for a hasty stage behind stages that pass next() through', async () => {
    let release!: () => void;
    const passing: Middleware = (_c, next) => next();
    const slow: Middleware = async function slow() {
      await new Promise<void>((resolve) => (release = resolve));
    };
    const hasty: Middleware = async function hasty(_c, next) {
      void next();
    };
    const running = compose([passing, passing, hasty, passing, slow])(ctx);
    await expect(running).rejects.toMatchObject({ code: 'CHAIN_SKIPPED_NEXT', message: expect.stringContaining('Stage "hasty"') });
    release();
  });

  it('turns a stage that throws before returning into a rejected chain', async () => {
    const broken: Middleware = function broken() {
      throw new Error('boom');
    };
    await expect(compose([async (_c, next) => next(), broken])(ctx)).rejects.toThrow('boom');
  });

  it('refuses a chain of more stages than it can track when it is built', () => {
    const stages = Array.from({ length: 31 }, (): Middleware => (_c, next) => next());
    expect(() => compose(stages)).toThrow('A chain has at most 30 stages (got 31)');
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
