import { describe, expect, it } from 'vitest';
import { isAnswerFrame, isErrorReplyFrame, isReplyFrame, type ServerFrame } from './frames';

describe('telling server frames apart', () => {
  const reply = { type: 'chat', action: 'send', id: 1, response: null } as ServerFrame;
  const error = {
    type: 'chat',
    action: 'send',
    id: 2,
    error: { code: 'FORBIDDEN', message: 'no' },
  } as ServerFrame;
  const push = { type: 'chat', action: 'message', data: { error: 'in data' } } as ServerFrame;
  const nullError = { type: 'chat', action: 'send', error: null } as unknown as ServerFrame;

  it.each([
    ['a reply', reply, { reply: true, error: false, answer: true }],
    ['an error reply', error, { reply: false, error: true, answer: true }],
    ['a push', push, { reply: false, error: false, answer: false }],
    ['a frame whose error is null', nullError, { reply: false, error: false, answer: true }],
    [
      'a frame whose error is text',
      { ...nullError, error: 'boom' } as unknown as ServerFrame,
      { reply: false, error: false, answer: true },
    ],
  ])('%s', (_name, frame, expected) => {
    expect({
      reply: isReplyFrame(frame),
      error: isErrorReplyFrame(frame),
      answer: isAnswerFrame(frame),
    }).toEqual(expected);
  });
});
