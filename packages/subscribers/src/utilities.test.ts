import { afterEach, describe, expect, it, vi } from 'vitest';
import { recordingLogger } from '../test/fakes';
import {
  composeHandlers,
  matchByPropertyPredicate,
  withErrorHandler,
  withFilter,
  withLogging,
  withRateLimit,
  withRetry,
  withValidation,
} from './index';

afterEach(() => {
  vi.useRealTimers();
});

function context(message: unknown = {}) {
  return { channel: 'c', message, ...recordingLogger() };
}

describe('withRetry', () => {
  it('waits delayMs * backoff^n between attempts and rethrows the last error', async () => {
    vi.useFakeTimers();
    let attempts = 0;
    const handler = vi.fn(async () => {
      attempts += 1;
      throw new Error(`attempt ${attempts}`);
    });
    const ctx = context();
    const run = withRetry(handler, 3, 100, 3)(ctx);
    const outcome = run.catch((error: Error) => error.message);
    for (const [wait, callsAfter] of [
      [0, 1],
      [99, 1],
      [1, 2],
      [299, 2],
      [1, 3],
      [899, 3],
      [1, 4],
    ] as const) {
      await vi.advanceTimersByTimeAsync(wait);
      expect(handler).toHaveBeenCalledTimes(callsAfter);
    }
    expect(await outcome).toBe('attempt 4');
    expect(ctx.lines.filter(line => line.level === 'warn').map(line => line.fields.waitMs)).toEqual([
      100, 300, 900,
    ]);
  });

  it('defaults to a backoff of 2, and retries 0 means one attempt', async () => {
    vi.useFakeTimers();
    const handler = vi.fn().mockRejectedValueOnce(new Error('once')).mockResolvedValue('done');
    const result = withRetry(handler, 2, 50)(context());
    await vi.advanceTimersByTimeAsync(50);
    expect(await result).toBe('done');
    expect(handler).toHaveBeenCalledTimes(2);
    const single = vi.fn().mockRejectedValue(new Error('no retry'));
    await expect(withRetry(single, 0, 50)(context())).rejects.toThrow('no retry');
    expect(single).toHaveBeenCalledTimes(1);
  });

  it('rejects bad arguments with a TypeError', () => {
    expect(() => withRetry(() => {}, -1, 10)).toThrow(/retries must be an integer of 0 or more/);
    expect(() => withRetry(() => {}, 1, -5)).toThrow(/delayMs must be a number of milliseconds/);
    expect(() => withRetry(() => {}, 1, 10, 0.5)).toThrow(/backoff must be a number of 1 or more/);
    expect(() => withRetry('x' as never, 1, 10)).toThrow(/handler must be a function/);
  });
});

describe('withRateLimit', () => {
  it('allows max runs per window, then rolls over to a fresh window', async () => {
    vi.useFakeTimers();
    const handler = vi.fn(() => 'ran');
    const exceeded = vi.fn();
    const limited = withRateLimit(handler, 2, 1000, exceeded);
    const results = [];
    for (let i = 0; i < 3; i += 1) results.push(await limited(context()));
    expect(results).toEqual(['ran', 'ran', undefined]);
    expect(exceeded).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1000);
    expect(await limited(context())).toBe('ran');
    expect(handler).toHaveBeenCalledTimes(3);
  });

  it('without a callback, warns once per window', async () => {
    vi.useFakeTimers();
    const ctx = context();
    const limited = withRateLimit(() => {}, 1, 1000);
    for (let i = 0; i < 4; i += 1) await limited(ctx);
    vi.advanceTimersByTime(1000);
    for (let i = 0; i < 3; i += 1) await limited(ctx);
    expect(ctx.lines.filter(line => line.level === 'warn')).toHaveLength(2);
  });
});

describe('withErrorHandler, withValidation, withFilter', () => {
  it('withErrorHandler hands non-Error throws over as Errors and resolves undefined', async () => {
    const onError = vi.fn();
    const ctx = context();
    const result = await withErrorHandler(() => {
      throw 'text';
    }, onError)(ctx);
    expect(result).toBeUndefined();
    expect(onError).toHaveBeenCalledWith(expect.objectContaining({ message: 'text' }), ctx);
    expect(await withErrorHandler(() => 7, onError)(ctx)).toBe(7);
  });

  it('withValidation runs the handler only after validation passes, and rethrows its error', async () => {
    const handler = vi.fn(() => 'ok');
    const validated = withValidation(async message => {
      if (!(message as { id?: number }).id) throw new Error('no id');
    }, handler);
    await expect(validated(context({}))).rejects.toThrow('no id');
    expect(handler).not.toHaveBeenCalled();
    expect(await validated(context({ id: 1 }))).toBe('ok');
  });

  it('withFilter skips the handler when the (async) predicate says no', async () => {
    const handler = vi.fn(() => 'ok');
    const filtered = withFilter(async ({ message }) => message === 'yes', handler);
    expect(await filtered(context('no'))).toBeUndefined();
    expect(await filtered(context('yes'))).toBe('ok');
    expect(handler).toHaveBeenCalledTimes(1);
  });
});

describe('composeHandlers and withLogging', () => {
  it('awaits each handler in order and stops at the first that throws', async () => {
    const trace: string[] = [];
    const step =
      (label: string, fail = false) =>
      async () => {
        await Promise.resolve();
        trace.push(label);
        if (fail) throw new Error(`${label} failed`);
        return label;
      };
    expect(await composeHandlers([step('a'), step('b')])(context())).toEqual(['a', 'b']);
    await expect(composeHandlers([step('c'), step('d', true), step('e')])(context())).rejects.toThrow(
      'd failed',
    );
    expect(trace).toEqual(['a', 'b', 'c', 'd']);
    expect(() => composeHandlers([step('a'), null as never])).toThrow(/handlers\[1\] must be a function/);
  });

  it('withLogging logs start and finish with the label, and rethrows failures after a warning', async () => {
    const ctx = context();
    await withLogging(() => 1, 'step')(ctx);
    await expect(
      withLogging(() => {
        throw new Error('nope');
      }, 'step')(ctx),
    ).rejects.toThrow('nope');
    expect(ctx.lines.map(line => `${line.level} ${line.msg.replace(/[\d.]+ ms/, 'N ms')}`)).toEqual([
      'info step started on c',
      'info step finished on c in N ms',
      'info step started on c',
      'warn step failed on c',
    ]);
  });
});

describe('matchByPropertyPredicate', () => {
  it('never calls the predicate for messages without the property', () => {
    const predicate = vi.fn((value: string) => value.length > 2);
    const match = matchByPropertyPredicate('name', predicate);
    expect(match({ message: { name: 'abc' } })).toBe(true);
    expect(match({ message: { name: 'ab' } })).toBe(false);
    expect(match({ message: {} })).toBe(false);
    expect(match({ message: null })).toBe(false);
    expect(predicate).toHaveBeenCalledTimes(2);
  });
});
