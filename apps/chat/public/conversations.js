// What the page knows about each room and conversation it is in: messages (each id once),
// members, unread count. The list of joined rooms is kept in sessionStorage for reloads.
const ROOMS_KEY = 'chat.rooms';
const DM_PREFIX = '@dm:';
export const ONLINE_ROOM = '@online';

export function isConversation(roomName) {
  return roomName.startsWith(DM_PREFIX);
}

/** The other user of a conversation room (`@dm:ada:bob`), seen from `me`. */
export function otherUser(roomName, me) {
  const users = roomName.slice(DM_PREFIX.length).split(':');
  return users.find(user => user !== me) ?? me;
}

export class Conversations {
  /** name -> { name, messages, ids, members, unread, live (joined and past its backlog) } */
  #rooms = new Map();
  current = '';

  constructor(me) {
    this.me = me;
  }

  get(name) {
    let entry = this.#rooms.get(name);
    if (!entry) {
      entry = { name, messages: [], ids: new Set(), members: new Map(), unread: 0 };
      this.#rooms.set(name, entry);
    }
    return entry;
  }

  has(name) {
    return this.#rooms.has(name);
  }

  /** Joined rooms (not conversations), in the order they were joined. */
  rooms() {
    return [...this.#rooms.keys()].filter(name => !isConversation(name) && name !== ONLINE_ROOM);
  }

  conversations() {
    return [...this.#rooms.keys()].filter(isConversation);
  }

  /** Adds a message unless its id was seen; returns whether it is new. */
  add(message) {
    const entry = this.get(message.roomName);
    if (message.id && entry.ids.has(message.id)) return false;
    if (message.id) entry.ids.add(message.id);
    entry.messages.push(message);
    // A backlog (messages replayed by the join) is not news: only live ones count as unread.
    if (entry.live && message.roomName !== this.current && message.from !== this.me) entry.unread++;
    return true;
  }

  remove(name) {
    this.#rooms.delete(name);
    this.save();
  }

  select(name) {
    this.current = name;
    if (this.#rooms.has(name)) this.get(name).unread = 0;
    this.save();
  }

  save() {
    const joined = [...this.#rooms.keys()].filter(name => name !== ONLINE_ROOM);
    sessionStorage.setItem(ROOMS_KEY, JSON.stringify({ joined, current: this.current }));
  }

  /** The rooms this tab was in before a reload (#general the first time). */
  static saved() {
    try {
      const saved = JSON.parse(sessionStorage.getItem(ROOMS_KEY) ?? 'null');
      if (saved && Array.isArray(saved.joined) && saved.joined.length > 0) return saved;
    } catch {}
    return { joined: ['general'], current: 'general' };
  }
}
