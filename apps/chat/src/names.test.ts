import { describe, expect, it } from 'vitest';
import { conversationRoom, conversationUsers, mayJoin, ONLINE_ROOM } from './names';

describe('who may join what', () => {
  it('names a conversation the same whoever starts it, and reads its two users back', () => {
    expect(conversationRoom('bob', 'ada')).toBe('@dm:ada:bob');
    expect(conversationRoom('ada', 'bob')).toBe('@dm:ada:bob');
    expect(conversationUsers('@dm:ada:bob')).toEqual(['ada', 'bob']);
    expect(conversationUsers('general')).toBeUndefined();
    expect(conversationUsers('@dm:ada')).toBeUndefined();
  });

  it('lets only its two users into a conversation, everyone into rooms with a valid name', () => {
    expect(mayJoin('ada', '@dm:ada:bob')).toBe(true);
    expect(mayJoin('bob', '@dm:ada:bob')).toBe(true);
    expect(mayJoin('cy', '@dm:ada:bob')).toBe(false);
    expect(mayJoin('cy', ONLINE_ROOM)).toBe(true);
    expect(mayJoin('cy', 'general')).toBe(true);
    expect(mayJoin('cy', '@admin')).toBe(false);
    expect(mayJoin(undefined, 'general')).toBe(false);
  });
});
