import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  BusChannel,
  type BusHeader,
  completeDurablePayload,
  decodeBusMessage,
  durableHead,
  encodeBusMessage,
} from './bus';
import { withOffset } from './contracts';

vi.setConfig({ testTimeout: 120_000 });

describe('bus messages', () => {
  const headers: BusHeader[] = [
    { kind: 'room', origin: 'n1', room: 'chat:general', exclude: 'c1' },
    { kind: 'durable', origin: 'n1', room: 'r', id: 'n1/7', exclude: 'c1', offset: 42, epoch: 'e1' },
    { kind: 'all', origin: 'n1' },
    { kind: 'users', origin: 'n1', users: ['u1', 42] },
    { kind: 'clients', origin: 'n1', clients: ['c1', 'c2'] },
    { kind: 'disconnect', origin: 'n1', client: 'c1', code: 4003, reason: 'kicked' },
    { kind: 'event', origin: 'n1', channel: 'custom' },
  ];

  it.each(headers)('round-trips a $kind header with its body untouched', header => {
    const body = '{"type":"chat","action":"message","data":"line1\\nline2"}';
    expect(decodeBusMessage(encodeBusMessage(header, body))).toEqual({ header, body });
  });

  it('keeps bodies with raw newlines intact', () => {
    const decoded = decodeBusMessage(encodeBusMessage({ kind: 'all', origin: 'n' }, 'a\nb\nc'));
    expect(decoded?.body).toBe('a\nb\nc');
  });

  it.each([
    ['plain text', 'hello'],
    ['no body separator', '{"kind":"all","origin":"n"}'],
    ['unknown kind', '{"kind":"nuke","origin":"n"}\n{}'],
    ['missing origin', '{"kind":"all"}\n{}'],
    ['room without name', '{"kind":"room","origin":"n"}\n{}'],
    ['users not a list', '{"kind":"users","origin":"n","users":"u1"}\n{}'],
    ['clients with numbers', '{"kind":"clients","origin":"n","clients":[1]}\n{}'],
    ['exclude not a string', '{"kind":"all","origin":"n","exclude":1}\n{}'],
    [
      'durable offset not a whole number',
      '{"kind":"durable","origin":"n","room":"r","id":"i","epoch":"e","offset":1.5}\n{}',
    ],
    ['durable offset 0', '{"kind":"durable","origin":"n","room":"r","id":"i","epoch":"e","offset":0}\n{}'],
    ['durable without epoch', '{"kind":"durable","origin":"n","room":"r","id":"i","offset":3}\n{}'],
    ['durable without id', '{"kind":"durable","origin":"n","room":"r","epoch":"e","offset":3}\n{}'],
    ['header not JSON', '{kind\n{}'],
    ['header is null', 'null\n{}'],
  ])('ignores a malformed message: %s', (_, payload) => {
    expect(decodeBusMessage(payload)).toBeUndefined();
  });

  it('never throws on arbitrary payloads', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 256 }), payload => {
        expect(() => decodeBusMessage(payload)).not.toThrow();
      }),
      { numRuns: 1_000 },
    );
  });

  it('names channels by purpose', () => {
    expect(BusChannel.room('general')).toBe('room:general');
    expect(BusChannel.node('n1')).toBe('node:n1');
    expect(BusChannel.events).toBe('events');
  });
});

describe('durable payloads', () => {
  it('completes the head with the position into a payload that decodes to the full header', () => {
    const head = durableHead({ origin: 'n1', room: 'r', id: 'n1/1', exclude: undefined });
    const body = '{"type":"chat","action":"m","room":"r"}';
    const payload = completeDurablePayload(head, { offset: 9, epoch: 'abc' }, body);
    expect(decodeBusMessage(payload)).toEqual({
      header: { kind: 'durable', origin: 'n1', room: 'r', id: 'n1/1', offset: 9, epoch: 'abc' },
      body,
    });
  });
});

describe('withOffset', () => {
  it('adds the offset as the last key of a serialized object', () => {
    const frame = JSON.stringify({ type: 'chat', action: 'message', room: 'r' });
    expect(JSON.parse(withOffset(frame, 12))).toEqual({
      type: 'chat',
      action: 'message',
      room: 'r',
      offset: 12,
    });
  });
});
