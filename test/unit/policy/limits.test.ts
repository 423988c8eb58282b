import { describe, expect, it } from 'vitest';
import { rateLimit } from '../../../src/chain/middleware/rate-limit.js';
import { sizeCap } from '../../../src/chain/middleware/size-cap.js';
import { capResult, cutUtf8 } from '../../../src/policy/result-size.js';
import { TokenBucket } from '../../../src/policy/token-bucket.js';
import { makeContext, runStage, usePolicySources } from './context.js';

const sourceWith = usePolicySources('rea-limits-');

describe('token bucket', () => {
  it('allows a burst, then refills at the rate', () => {
    const bucket = new TokenBucket(2, 3, 0);
    expect([bucket.tryTake(0), bucket.tryTake(0), bucket.tryTake(0), bucket.tryTake(0)]).toEqual([true, true, true, false]);
    expect(bucket.tryTake(499)).toBe(false);
    expect(bucket.tryTake(500)).toBe(true);
    expect(bucket.tryTake(10_000)).toBe(true);
  });

  it('never holds more than the burst', () => {
    const bucket = new TokenBucket(100, 2, 0);
    expect([bucket.tryTake(60_000), bucket.tryTake(60_000), bucket.tryTake(60_000)]).toEqual([true, true, false]);
  });
});

describe('rate-limit stage', () => {
  it('denies past the per-tool burst and recovers as tokens refill', async () => {
    const s = sourceWith('rate_limits:\n  tools:\n    "fs__write_*":\n      rate: 1\n      burst: 2\n');
    let clock = 0;
    const stage = rateLimit(() => clock);
    const call = () => {
      const ctx = makeContext({ name: 'write_file', policy: s.current() });
      return runStage(stage, ctx).then((reached) => ({ reached, ctx }));
    };
    expect((await call()).reached).toBe(true);
    expect((await call()).reached).toBe(true);
    const third = await call();
    expect(third.reached).toBe(false);
    expect(third.ctx.decision).toEqual({ kind: 'deny', code: 'rate_limit', stage: 'rate-limit', reason: 'tool:fs__write_file exceeded 1/s (burst 2)', message: 'rate limit' });
    expect((await runStage(stage, makeContext({ name: 'read_file', policy: s.current() })))).toBe(true);
    clock = 1000;
    expect((await call()).reached).toBe(true);
  });

  it('applies server_default to servers without their own limit, one bucket per server', async () => {
    const s = sourceWith('rate_limits:\n  server_default:\n    rate: 1\n    burst: 1\n  servers:\n    fast:\n      rate: 100\n');
    const stage = rateLimit(() => 0);
    expect(await runStage(stage, makeContext({ server: 'a', policy: s.current() }))).toBe(true);
    expect(await runStage(stage, makeContext({ server: 'a', policy: s.current() }))).toBe(false);
    expect(await runStage(stage, makeContext({ server: 'b', policy: s.current() }))).toBe(true);
    expect(await runStage(stage, makeContext({ server: 'fast', policy: s.current() }))).toBe(true);
    expect(await runStage(stage, makeContext({ server: 'fast', policy: s.current() }))).toBe(true);
  });

  it('caps calls in flight and releases the slot when the call returns', async () => {
    const s = sourceWith('rate_limits:\n  servers:\n    fs:\n      max_in_flight: 1\n');
    const stage = rateLimit();
    let finish!: () => void;
    const running = new Promise<void>((resolve) => (finish = resolve));
    const first = makeContext({ policy: s.current() });
    const firstDone = stage(first, () => running);
    const second = makeContext({ policy: s.current() });
    expect(await runStage(stage, second)).toBe(false);
    expect(second.decision).toMatchObject({ code: 'rate_limit', reason: 'server:fs has 1 calls in flight (max_in_flight 1)' });
    finish();
    await firstDone;
    expect(await runStage(stage, makeContext({ policy: s.current() }))).toBe(true);
  });

  it('releases the slot when the call throws', async () => {
    const s = sourceWith('rate_limits:\n  servers:\n    fs:\n      max_in_flight: 1\n');
    const stage = rateLimit();
    await expect(stage(makeContext({ policy: s.current() }), () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await runStage(stage, makeContext({ policy: s.current() }))).toBe(true);
  });
});

describe('size cap', () => {
  it('cuts UTF-8 at a character boundary', () => {
    expect(cutUtf8('aé🙂', 2)).toBe('a');
    expect(cutUtf8('aé🙂', 3)).toBe('aé');
    expect(cutUtf8('aé🙂', 6)).toBe('aé');
    expect(cutUtf8('aé🙂', 7)).toBe('aé🙂');
  });

  it('leaves a result under the cap untouched', () => {
    const result = { content: [{ type: 'text', text: 'hello' }] };
    expect(capResult(result, 100)).toEqual({ result, truncated: false, bytesBefore: 5, bytesAfter: 5 });
  });

  it('counts a result under the cap exactly as it counts one over it', () => {
    const results: Record<string, unknown>[] = [
      { content: [{ type: 'text', text: 'héllo' }, { type: 'image', data: 'AAAA', mimeType: 'image/png' }], isError: false },
      { contents: [{ uri: 'file:///a', text: 'abc' }, { uri: 'file:///b', blob: 'QUJD' }], _meta: { k: 'v' } },
      { content: { type: 'text', text: 'one block' }, model: 'm', role: 'assistant' },
      { messages: [{ role: 'user', content: { type: 'text', text: 'hi' } }, 'odd', { role: 'user', content: { type: 'resource', resource: { uri: 'x', text: 'ré' } } }] },
      { content: [{ type: 'text', text: 'x' }], contents: [{ text: 'not counted as items' }], structuredContent: { n: 1, s: 'é' } },
      { content: 'not a list', other: [1, 2, 3] },
    ];
    for (const result of results) {
      const under = capResult(result, Number.MAX_SAFE_INTEGER);
      const over = capResult(result, 0);
      expect(under.truncated).toBe(false);
      expect(under.bytesBefore).toBe(over.bytesBefore);
    }
  });

  it('truncates text with a visible notice and marks the result', () => {
    const report = capResult({ content: [{ type: 'text', text: 'x'.repeat(5000) }] }, 1160);
    expect(report.truncated).toBe(true);
    expect(report.result).toEqual({
      content: [{ type: 'text', text: `${'x'.repeat(1000)}\n[rea: result truncated: kept 1000 of 5000 bytes]` }],
      _meta: { 'rea/truncated': true },
    });
  });

  it('replaces an oversize image with a text notice', () => {
    const report = capResult({ content: [{ type: 'image', mimeType: 'image/png', data: 'A'.repeat(4000) }], _meta: { keep: 1 } }, 1000);
    expect(report.result).toEqual({
      content: [{ type: 'text', text: '[rea: image/png item of 4000 bytes removed: over the result size cap]' }],
      _meta: { keep: 1, 'rea/truncated': true },
    });
  });

  it('keeps structuredContent that fits and trims the text', () => {
    const structured = { rows: [1, 2, 3] };
    const report = capResult({ content: [{ type: 'text', text: 'y'.repeat(2000) }], structuredContent: structured }, 1000);
    expect(report.result['structuredContent']).toEqual(structured);
    expect(report.result['isError']).toBeUndefined();
  });

  it('drops oversize structuredContent and sets isError so an SDK client with an outputSchema accepts the result', () => {
    const report = capResult({ content: [{ type: 'text', text: 'z' }], structuredContent: { big: 'q'.repeat(3000) } }, 1000);
    expect(report.result).toEqual({
      content: [{ type: 'text', text: 'z' }, { type: 'text', text: '[rea: structured result of 3010 bytes removed: over the result size cap of 1000 bytes]' }],
      isError: true,
      _meta: { 'rea/truncated': true },
    });
  });

  it('counts and caps the single content block of a sampling result, keeping it a single block', () => {
    const small = { role: 'assistant', model: 'm', content: { type: 'text', text: 'hello' } };
    // Every field counts: the text's 5 bytes plus `role` and `model` as JSON ("assistant", "m").
    expect(capResult(small, 100)).toEqual({ result: small, truncated: false, bytesBefore: 19, bytesAfter: 19 });
    const report = capResult({ role: 'assistant', model: 'm', content: { type: 'text', text: 'x'.repeat(5000) } }, 1160);
    expect(report.bytesBefore).toBe(5014);
    expect(report.result).toEqual({
      role: 'assistant',
      model: 'm',
      content: { type: 'text', text: `${'x'.repeat(986)}\n[rea: result truncated: kept 986 of 5000 bytes]` },
      _meta: { 'rea/truncated': true },
    });
  });

  // Review finding 5: `_meta`, extra fields and prompt messages used to pass uncounted.
  it('counts _meta and extra fields, keeps them within a quarter of the cap, and names what it removed', () => {
    const report = capResult({ content: [{ type: 'text', text: 'small' }], _meta: { trace: 'M'.repeat(5000) }, extra: 'E'.repeat(5000), isError: false }, 2000);
    expect(report.bytesBefore).toBe(5 + 5012 + 5002 + 5);
    expect(report.result).toEqual({
      content: [
        { type: 'text', text: 'small' },
        { type: 'text', text: '[rea: field "extra" of 5002 bytes removed: over the result size cap of 2000 bytes]' },
        { type: 'text', text: '[rea: field "_meta" of 5012 bytes removed: over the result size cap of 2000 bytes]' },
      ],
      isError: false,
      _meta: { 'rea/truncated': true },
    });
  });

  it("caps a prompt's messages like content, keeping each message's role", () => {
    const report = capResult({ description: 'd', messages: [{ role: 'user', content: { type: 'text', text: 'B'.repeat(5000) } }] }, 1163);
    expect(report.result).toEqual({
      description: 'd',
      messages: [{ role: 'user', content: { type: 'text', text: `${'B'.repeat(1000)}\n[rea: result truncated: kept 1000 of 5000 bytes]` } }],
      _meta: { 'rea/truncated': true },
    });
  });

  it('records sizes in the context and rewrites the outcome', async () => {
    const s = sourceWith('limits:\n  max_result_bytes: 500\n');
    const ctx = makeContext({ policy: s.current() });
    await sizeCap()(ctx, async () => {
      ctx.outcome = { kind: 'result', result: { content: [{ type: 'text', text: 'w'.repeat(900) }] } };
    });
    expect(ctx.metadata).toMatchObject({ result_bytes: 900, result_truncated: true });
    const result = ctx.outcome?.kind === 'result' ? ctx.outcome.result : {};
    expect((result['content'] as { text: string }[])[0]!.text).toBe(`${'w'.repeat(340)}\n[rea: result truncated: kept 340 of 900 bytes]`);
  });
});
