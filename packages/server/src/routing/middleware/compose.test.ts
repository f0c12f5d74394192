import { describe, expect, it } from 'vitest';
import { compose, type Middleware } from './compose';

type Ctx = { seen: string[] };

const mark =
  (name: string): Middleware<Ctx> =>
  async (ctx, next) => {
    ctx.seen.push(`${name} in`);
    await next();
    ctx.seen.push(`${name} out`);
  };

describe('compose', () => {
  it('runs middleware as an onion: in, in, core, out, out', async () => {
    const ctx: Ctx = { seen: [] };
    const core: Middleware<Ctx> = ctx => void ctx.seen.push('core');
    await compose([mark('a'), mark('b'), core])(ctx);
    expect(ctx.seen).toEqual(['a in', 'b in', 'core', 'b out', 'a out']);
  });

  it('stops where a middleware does not call next()', async () => {
    const ctx: Ctx = { seen: [] };
    const stop: Middleware<Ctx> = ctx => void ctx.seen.push('stop');
    await compose([mark('a'), stop, mark('never')])(ctx);
    expect(ctx.seen).toEqual(['a in', 'stop', 'a out']);
  });

  it('rejects a second next() call, naming the middleware', async () => {
    const twice: Middleware<Ctx> = async function callsNextTwice(_ctx, next) {
      await next();
      await next();
    };
    const ctx: Ctx = { seen: [] };
    await expect(compose([twice, mark('inner')])(ctx)).rejects.toThrow(
      'next() called more than once in middleware "callsNextTwice"',
    );
    expect(ctx.seen).toEqual(['inner in', 'inner out']);
  });

  it('lets errors travel outwards, where a middleware may catch them', async () => {
    const ctx: Ctx = { seen: [] };
    const boom: Middleware<Ctx> = () => {
      throw new Error('boom');
    };
    const rescue: Middleware<Ctx> = async (ctx, next) => {
      await next().catch((error: Error) => ctx.seen.push(`caught ${error.message}`));
    };
    await compose([rescue, boom])(ctx);
    expect(ctx.seen).toEqual(['caught boom']);
    // Synchronous steps throw synchronously (the pipeline answers at once).
    expect(() => compose([boom])(ctx)).toThrow('boom');
  });

  it('finishes synchronously when every step does, and next() still returns a promise', () => {
    const ctx: Ctx = { seen: [] };
    const passOn: Middleware<Ctx> = (_ctx, next) => {
      const rest = next();
      ctx.seen.push(rest instanceof Promise ? 'promise' : 'not a promise');
      return rest;
    };
    const core: Middleware<Ctx> = ctx => void ctx.seen.push('core');
    expect(compose([passOn, core])(ctx)).toBeUndefined();
    expect(ctx.seen).toEqual(['core', 'promise']);
    const later: Middleware<Ctx> = async ctx => void ctx.seen.push('later');
    expect(compose([passOn, later])(ctx)).toBeInstanceOf(Promise);
  });

  it('refuses what is not a function when composing, not at the first message', () => {
    expect(() => compose([mark('a'), 'nope' as unknown as Middleware<Ctx>])).toThrow(TypeError);
  });
});
