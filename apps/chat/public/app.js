// The chat page: plain ES modules, no build step. The client reconnects by itself and rejoins its
// rooms with the last offset it saw, so messages sent while it was away are replayed.
import { createClient } from '/client.js';

const $ = id => document.getElementById(id);
const state = { me: '', current: 'general', rooms: new Map(), typing: new Map() };
let client;

function room(name) {
  if (!state.rooms.has(name)) state.rooms.set(name, { messages: [], members: new Map() });
  return state.rooms.get(name);
}

$('login-form').addEventListener('submit', async event => {
  event.preventDefault();
  const response = await fetch('/api/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: $('name').value }),
  });
  const body = await response.json();
  if (!response.ok) {
    $('login-error').textContent = body.error;
    return;
  }
  state.me = body.name;
  $('me').textContent = `as ${state.me}`;
  $('login').hidden = true;
  await start(body.token);
});

async function start(token) {
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  client = createClient({ url, getToken: () => token });
  client.events.on('close', () => setStatus('reconnecting…'));
  client.events.on('reconnected', () => {
    setStatus('online');
    // Presence changed while away: ask again rather than trust the old list.
    for (const name of state.rooms.keys()) void refreshMembers(name);
  });
  client.on('chat', 'message', data => addMessage(data.roomName, data));
  client.on('chat', 'dm', data => addMessage(state.current, { ...data, dm: true }));
  client.on('chat', 'typing', data => showTyping(data.roomName, data.from));
  client.on('presence', 'join', data => setMember(data.roomName, data, true));
  client.on('presence', 'leave', data => setMember(data.roomName, data, false));
  await client.connect();
  setStatus('online');
  window.chat = client;
  await join('general');
}

async function join(name) {
  room(name);
  // client rejoins it with the latest offset after a reconnect (joining twice is harmless).
  // The room's last 50 messages first; after a reconnect the client rejoins with the last offset
  // it saw and shows each missed message once.
  await client.joinRoom(name, { username: state.me, rewind: 50 });
  await refreshMembers(name);
  select(name);
}

async function refreshMembers(name) {
  const { members } = await client.request('system', 'presence', { roomName: name });
  const entry = room(name);
  entry.members = new Map(members.map(member => [member.clientId, member]));
  if (name === state.current) renderOnline();
}

async function leave(name) {
  await client.leaveRoom(name);
  state.rooms.delete(name);
  if (state.current === name) select(state.rooms.keys().next().value ?? '');
  else render();
}

function select(name) {
  state.current = name;
  render();
}

function addMessage(roomName, message) {
  const entry = room(roomName);
  entry.messages.push(message);
  state.typing.delete(`${roomName}:${message.from}`);
  if (roomName === state.current) render();
}

function setMember(roomName, member, online) {
  const entry = room(roomName);
  if (online) entry.members.set(member.clientId, member);
  else entry.members.delete(member.clientId);
  if (roomName === state.current) renderOnline();
}

function showTyping(roomName, from) {
  const key = `${roomName}:${from}`;
  clearTimeout(state.typing.get(key));
  state.typing.set(
    key,
    setTimeout(() => {
      state.typing.delete(key);
      renderTyping();
    }, 3000),
  );
  renderTyping();
}

let lastTyping = 0;
$('text').addEventListener('input', () => {
  if (Date.now() - lastTyping < 1500 || !state.current) return;
  lastTyping = Date.now();
  client.send('chat', 'typing', { roomName: state.current });
});

$('send-form').addEventListener('submit', async event => {
  event.preventDefault();
  const text = $('text').value.trim();
  if (!text) return;
  $('text').value = '';
  // Others clear our typing line when the message lands, so the next keystroke announces again.
  lastTyping = 0;
  const dm = text.match(/^\/dm\s+(\S+)\s+(.+)$/);
  try {
    if (dm) await client.request('chat', 'dm', { to: dm[1], text: dm[2] });
    else await client.request('chat', 'send', { roomName: state.current, text });
  } catch (error) {
    addMessage(state.current, { from: 'system', text: error.message, dm: true });
  }
});

$('room-form').addEventListener('submit', async event => {
  event.preventDefault();
  const name = $('room-name').value.trim().replace(/^#/, '');
  $('room-name').value = '';
  if (name)
    await join(name).catch(error =>
      addMessage(state.current, { from: 'system', text: error.message, dm: true }),
    );
});

function setStatus(text) {
  $('status').textContent = text;
}

function render() {
  $('title').textContent = state.current ? `#${state.current}` : '';
  $('rooms').replaceChildren(
    ...[...state.rooms.keys()].map(name => {
      const li = el('li', { className: name === state.current ? 'active' : '' }, `#${name}`);
      li.onclick = () => select(name);
      const close = el('button', { title: `leave #${name}` }, '×');
      close.onclick = event => {
        event.stopPropagation();
        void leave(name);
      };
      li.append(close);
      return li;
    }),
  );
  const messages = state.rooms.get(state.current)?.messages ?? [];
  $('messages').replaceChildren(
    ...messages.map(m =>
      el(
        'div',
        { className: m.dm ? 'msg dm' : 'msg' },
        el('b', {}, m.dm && m.to ? `${m.from} → ${m.to}` : m.from),
        m.text,
        m.at ? el('time', {}, new Date(m.at).toLocaleTimeString()) : '',
      ),
    ),
  );
  $('messages').scrollTop = $('messages').scrollHeight;
  renderOnline();
  renderTyping();
}

function renderOnline() {
  const members = [...(state.rooms.get(state.current)?.members.values() ?? [])];
  const names = [...new Set(members.map(m => m.username ?? String(m.userId)))].sort();
  $('online').replaceChildren(...names.map(name => el('li', {}, name === state.me ? `${name} (you)` : name)));
}

function renderTyping() {
  const prefix = `${state.current}:`;
  const who = [...state.typing.keys()].filter(k => k.startsWith(prefix)).map(k => k.slice(prefix.length));
  $('typing').textContent = who.length ? `${who.join(', ')} ${who.length > 1 ? 'are' : 'is'} typing…` : '';
}

function el(tag, props, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}
