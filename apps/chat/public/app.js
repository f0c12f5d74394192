// The chat page: plain ES modules, no build step, @roomcast/client's browser bundle at /client.js.
// The client reconnects by itself (to the next of several servers when it has them) and rejoins
// its rooms with the last offset it saw, so messages sent while it was away are replayed.
import { createClient } from '/client.js';
import { Conversations, isConversation, ONLINE_ROOM } from './conversations.js';
import { Pending } from './pending.js';
import { forgetSession, keepFresh, login, savedSession } from './session.js';
import * as view from './view.js';

const $ = id => document.getElementById(id);
const OFFLINE_CODES = new Set(['DISCONNECTED', 'TIMEOUT']);
const pending = new Pending();
/** `${roomName}\n${user}` -> the timer that clears their typing line. */
const typing = new Map();
const net = { online: false, staleSince: undefined };
let client;
let chat;
let session;

/** What the user should read: a schema's message for the field when there is one, else the server's. */
const reason = error => error?.issues?.[0]?.message ?? error?.message ?? String(error);

const saved = savedSession();
if (saved) void start(saved);
else $('name').focus();

$('login-form').addEventListener('submit', async event => {
  event.preventDefault();
  const button = $('login-form').querySelector('button');
  button.disabled = true;
  $('login-error').textContent = '';
  try {
    await start(await login($('name').value));
  } catch (error) {
    $('login-error').textContent = error.message;
  } finally {
    button.disabled = false;
  }
});

async function start(s) {
  session = s;
  chat = new Conversations(s.name);
  $('login').hidden = true;
  $('me').textContent = `as ${s.name}`;
  $('logout').hidden = false;
  const own = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  const { peers = [] } = await fetch('/api/config')
    .then(response => response.json())
    .catch(() => ({}));
  // Several servers: after losing one, the client dials the next (url: [...]).
  client = createClient({ url: [own, ...peers], getToken: () => session.token });
  window.chat = { client, chat, pending };
  client.events.on('close', wentOffline);
  client.events.on('reconnected', cameBack);
  client.events.on('reconnectFailed', () => view.setStatus('offline: reload the page to try again', true));
  // A reconnect whose token is refused (it expired while offline): the client stops; sign in again.
  client.events.on('error', error => {
    if (net.online === false && error?.code === 'UNAUTHORIZED') signedOut(reason(error));
  });
  client.on('chat', 'message', received);
  client.on('chat', 'typing', data => showTyping(data.roomName, data.from));
  client.on('chat', 'conversation', data => {
    if (!chat.has(data.roomName)) void join(data.roomName, { select: false, unread: true });
  });
  client.on('presence', 'join', data => setMember(data, true));
  client.on('presence', 'leave', data => setMember(data, false));
  try {
    await client.connect();
  } catch (error) {
    // The stored token was refused (the server's secret changed, say): sign in again.
    signedOut(reason(error));
    return;
  }
  net.online = true;
  view.setStatus('online', false);
  keepFresh(client, session);
  await client.joinRoom(ONLINE_ROOM, { username: chat.me });
  const { joined, current } = Conversations.saved();
  for (const name of joined) await join(name, { select: false }).catch(error => view.notify(reason(error)));
  select(chat.has(current) ? current : (chat.rooms()[0] ?? ''));
  $('text').focus();
}

function signedOut(why) {
  client.close();
  forgetSession();
  view.setStatus('signed out', true);
  $('login').hidden = false;
  $('login-error').textContent = `Please log in again (${why})`;
  $('name').value = session.name;
  $('name').focus();
}

/** Joins a room or conversation (its last 50 messages first); refused, it is never listed. */
async function join(name, { select: open = true, unread = false } = {}) {
  await client.joinRoom(name, { username: chat.me, rewind: 50 });
  const entry = chat.get(name);
  // A backlog is not news, except the first messages of a conversation someone else started.
  entry.unread = unread ? entry.messages.filter(m => m.from !== chat.me).length : 0;
  entry.live = true;
  chat.save();
  await refreshMembers(name);
  if (open) select(name);
  else render();
}

async function refreshMembers(name) {
  const { members } = await client.request('system', 'presence', { roomName: name });
  chat.get(name).members = new Map(members.map(member => [member.clientId, member]));
  if (name === chat.current) renderOnline();
}

async function leave(name) {
  await client.leaveRoom(name).catch(() => {});
  chat.remove(name);
  pending.forgetRoom(name);
  if (chat.current === name) select(chat.rooms()[0] ?? chat.conversations()[0] ?? '');
  else render();
}

function select(name) {
  chat.select(name);
  view.notify('');
  render();
}

/** A room message, live or replayed: shown once, and its pending copy (if it is ours) goes. */
function received(message) {
  pending.settle(message.id);
  if (!chat.add(message)) return;
  typing.delete(`${message.roomName}\n${message.from}`);
  render();
}

function setMember(member, online) {
  if (!chat.has(member.roomName)) return;
  const { members } = chat.get(member.roomName);
  if (online) members.set(member.clientId, member);
  else members.delete(member.clientId);
  if (member.roomName === chat.current) renderOnline();
}

function showTyping(roomName, from) {
  const key = `${roomName}\n${from}`;
  clearTimeout(typing.get(key));
  const clear = () => {
    typing.delete(key);
    view.renderTyping(chat, typing);
  };
  typing.set(key, setTimeout(clear, 3000));
  view.renderTyping(chat, typing);
}

function wentOffline() {
  if (!net.online) return;
  net.online = false;
  net.staleSince = Date.now();
  view.setStatus('offline, reconnecting… (messages wait and send when back)', true);
  for (const timer of typing.values()) clearTimeout(timer);
  typing.clear();
  render();
}

async function cameBack() {
  net.online = true;
  view.setStatus('online', false);
  // Presence changed while away: ask again rather than trust the old list.
  await Promise.all(
    [...chat.rooms(), ...chat.conversations()].map(name => refreshMembers(name).catch(() => {})),
  );
  render();
  void flush();
}

let lastTyping = 0;
$('text').addEventListener('input', () => {
  const text = $('text').value;
  // Only while online: a typing line sent after a reconnect would be a ghost.
  if (!client?.connected || !chat.current || !text || text.startsWith('/')) return;
  if (Date.now() - lastTyping < 1500) return;
  lastTyping = Date.now();
  client.send('chat', 'typing', { roomName: chat.current });
});

$('send-form').addEventListener('submit', async event => {
  event.preventDefault();
  const text = $('text').value.trim();
  if (!text) return;
  const dm = text.match(/^\/dm\s+(\S+)\s+([\s\S]+)$/);
  const roomName = dm ? await openConversation(dm[1]) : chat.current;
  if (!roomName) {
    if (!dm) view.notify('Join a room first');
    return; // the text stays in the input, the reason above it
  }
  $('text').value = '';
  view.notify('');
  // Others clear our typing line when the message lands, so the next keystroke announces again.
  lastTyping = 0;
  pending.add(roomName, dm ? dm[2] : text);
  render();
  void flush();
});

let flushing = false;
/** Sends the pending messages in order while online; a lost reply leaves one pending, to resend. */
async function flush() {
  if (flushing) return;
  flushing = true;
  try {
    for (let item = next(); item && client.connected; item = next()) {
      item.sent = true;
      try {
        await client.request('chat', 'send', { roomName: item.roomName, text: item.text, id: item.id });
      } catch (error) {
        if (OFFLINE_CODES.has(error?.code)) {
          item.sent = false;
          return;
        }
        // Refused: the text goes back to the input, with why, so it can be fixed and sent again.
        pending.settle(item.id);
        if (!$('text').value) $('text').value = item.text;
        view.notify(reason(error));
        render();
      }
    }
  } finally {
    flushing = false;
  }
}
const next = () => pending.waiting().find(item => !item.sent);

async function openConversation(name) {
  if (!client.connected) {
    view.notify('Offline: a new conversation can start once the connection is back');
    return undefined;
  }
  try {
    const { roomName } = await client.request('chat', 'conversation', { with: name });
    if (chat.has(roomName)) select(roomName);
    else await join(roomName);
    return roomName;
  } catch (error) {
    view.notify(reason(error));
    return undefined;
  }
}

$('room-form').addEventListener('submit', async event => {
  event.preventDefault();
  const name = $('room-name').value.trim().replace(/^#/, '');
  if (!name) return;
  // Joined already, so the server would say yes: the online room is the chat's own, not a room.
  if (name === ONLINE_ROOM) {
    view.notify(`Cannot join ${name}: that name is kept for the chat itself`);
    return;
  }
  if (chat.has(name) && !isConversation(name)) {
    $('room-name').value = '';
    select(name);
    return;
  }
  try {
    await join(name);
    $('room-name').value = '';
  } catch (error) {
    view.notify(`Cannot join #${name}: ${reason(error)}`);
  }
});

$('logout').addEventListener('click', () => {
  client?.close();
  forgetSession();
  location.reload();
});

function render() {
  const actions = { select, leave: name => void leave(name) };
  view.renderSidebar(chat, actions);
  view.renderMessages(chat, pending);
  renderOnline();
  view.renderTyping(chat, typing);
}

function renderOnline() {
  view.renderOnline(chat, { ...net, openConversation: name => void openConversation(name) });
}
