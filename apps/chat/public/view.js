// Rendering: every function draws one part of the page from the state, nothing else.
import { isConversation, otherUser } from './conversations.js';

const $ = id => document.getElementById(id);

export function el(tag, props, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children.filter(child => child !== undefined));
  return node;
}

/** `#general`, or `ada` for a conversation. */
export function label(name, me) {
  return isConversation(name) ? otherUser(name, me) : `#${name}`;
}

export function renderSidebar(chat, { select, leave }) {
  const item = name => {
    const entry = chat.get(name);
    const text = label(name, chat.me);
    const pick = el('button', { type: 'button', className: 'pick' }, text);
    if (entry.unread)
      pick.append(el('span', { className: 'badge', title: `${entry.unread} unread` }, String(entry.unread)));
    if (name === chat.current) pick.setAttribute('aria-current', 'page');
    pick.onclick = () => select(name);
    const close = el('button', { type: 'button', className: 'leave', title: `Leave ${text}` }, '×');
    close.setAttribute('aria-label', `Leave ${text}`);
    close.onclick = () => leave(name);
    return el('li', { className: name === chat.current ? 'active' : '' }, pick, close);
  };
  $('rooms').replaceChildren(...chat.rooms().map(item));
  const dms = chat.conversations();
  $('dms').replaceChildren(...dms.map(item));
  $('dms-empty').hidden = dms.length > 0;
}

export function renderMessages(chat, pending) {
  const name = chat.current;
  $('title').textContent = !name
    ? 'No room open'
    : isConversation(name)
      ? `Conversation with ${otherUser(name, chat.me)}`
      : label(name, chat.me);
  $('messages').classList.toggle('dm-view', isConversation(name));
  const entry = name ? chat.get(name) : undefined;
  const shown = (entry?.messages ?? []).map(m =>
    el(
      'div',
      { className: 'msg' },
      el('b', {}, m.from),
      m.text,
      el('time', {}, new Date(m.at).toLocaleTimeString()),
    ),
  );
  const waiting = pending
    .in(name)
    .map(item =>
      el(
        'div',
        { className: 'msg pending' },
        el('b', {}, chat.me),
        item.text,
        el('span', { className: 'state' }, 'pending…'),
      ),
    );
  const empty = !name
    ? 'Join a room on the left, or open a conversation.'
    : isConversation(name)
      ? `No messages with ${otherUser(name, chat.me)} yet. Say hello!`
      : `No messages in #${name} yet. Say hello!`;
  const all = [...shown, ...waiting];
  $('messages').replaceChildren(...(all.length ? all : [el('p', { className: 'empty' }, empty)]));
  $('messages').scrollTop = $('messages').scrollHeight;
}

export function renderOnline(chat, { online, staleSince, openConversation }) {
  const members = [...(chat.current ? chat.get(chat.current).members.values() : [])];
  const names = [...new Set(members.map(m => m.username ?? String(m.userId)))].sort();
  $('online-title').textContent =
    chat.current && isConversation(chat.current) ? 'In this conversation' : 'Online';
  $('online').classList.toggle('stale', !online);
  $('online').replaceChildren(
    ...names.map(name => {
      if (name === chat.me) return el('li', {}, el('span', { className: 'pick' }, `${name} (you)`));
      const pick = el('button', { type: 'button', className: 'pick', title: `Message ${name}` }, name);
      pick.onclick = () => openConversation(name);
      return el('li', {}, pick);
    }),
  );
  $('online-note').textContent = !online
    ? `Offline: last seen ${new Date(staleSince ?? Date.now()).toLocaleTimeString()}, may be out of date.`
    : names.length <= 1
      ? 'Nobody else here yet.'
      : '';
}

export function renderTyping(chat, typing) {
  const prefix = `${chat.current}\n`;
  const who = [...typing.keys()].filter(k => k.startsWith(prefix)).map(k => k.slice(prefix.length));
  $('typing').textContent = who.length ? `${who.join(', ')} ${who.length > 1 ? 'are' : 'is'} typing…` : '';
}

export function setStatus(text, offline) {
  $('status').textContent = text;
  $('status').classList.toggle('offline', offline);
}

/** The error line above the composer (not a message: it is not part of the conversation). */
export function notify(text) {
  $('notice').textContent = text;
}
