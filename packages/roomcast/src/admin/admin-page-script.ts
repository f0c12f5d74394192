/**
 * The dashboard's script, inline in the page (no CDN, works offline). It polls the JSON every
 * two seconds (the next poll starts when the last one ended, so a slow cluster never piles
 * requests up) and builds the DOM with textContent only: room names, usernames and log text
 * come from clients and are never parsed as HTML.
 */
export const ADMIN_PAGE_SCRIPT = `
const BASE = document.body.dataset.base;
const POLL_MS = 2000;
const KEEP = 90;
const COLORS = ['#2f7ed8', '#e4572e', '#17a673', '#a05195', '#f0a202', '#5f6b7a'];
const state = { room: null, points: [], nodeIds: [] };

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, props || {});
  for (const child of children) node.append(child instanceof Node ? child : String(child ?? ''));
  return node;
}
function rows(tbody, list) { tbody.replaceChildren(...list); }
function fmtUptime(ms) {
  const s = Math.floor(ms / 1000), d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600);
  const m = Math.floor(s % 3600 / 60);
  return d ? d + 'd ' + h + 'h' : h ? h + 'h ' + m + 'm' : m ? m + 'm ' + s % 60 + 's' : s + 's';
}
function fmtBytes(n) { return (n / 1048576).toFixed(1) + ' MB'; }
function fmtRate(n) { return n < 10 ? n.toFixed(1) : Math.round(n).toString(); }
function short(id) { return id.length > 12 ? id.slice(0, 8) + '…' : id; }
function clock(t) { return new Date(t).toLocaleTimeString(); }

async function call(path, init) {
  const response = await fetch(BASE + path, { credentials: 'same-origin', ...init });
  const body = await response.json().catch(() => ({}));
  if (!response.ok || body.ok === false) throw new Error(body.error?.message || 'HTTP ' + response.status);
  return body;
}
function post(path, body) {
  return call(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}
function notice(text, bad) {
  const box = document.getElementById('notice');
  box.textContent = text;
  box.className = bad ? 'bad' : 'good';
}

function renderNodes(cluster) {
  rows(document.querySelector('#nodes tbody'), cluster.nodes.map(n => {
    if (!n.reachable) {
      return el('tr', { className: 'unreachable', title: n.nodeId },
        el('td', {}, short(n.nodeId)), el('td', { colSpan: 11 },
          'unreachable' + (n.lastSeen ? ' (last answer ' + clock(n.lastSeen) + ')' : '')));
    }
    const tr = el('tr', { title: n.nodeId },
      el('td', {}, short(n.nodeId) + (n.nodeId === cluster.nodeId ? ' (this)' : '')),
      el('td', {}, n.status), el('td', {}, fmtUptime(n.uptimeMs)), el('td', {}, n.connections),
      el('td', {}, n.rooms), el('td', {}, fmtRate(n.messagesInPerSec)), el('td', {}, fmtRate(n.messagesOutPerSec)),
      el('td', {}, n.dropped), el('td', {}, n.slowConsumersClosed), el('td', {}, n.rateLimited),
      el('td', {}, n.busConnected ? 'connected' : 'down'), el('td', {}, fmtBytes(n.memory.rss)));
    tr.dataset.node = n.nodeId;
    return tr;
  }));
}

function renderRooms(cluster) {
  const more = cluster.roomsTotal > cluster.rooms.length ? ' (first ' + cluster.rooms.length + ' of ' + cluster.roomsTotal + ')' : '';
  document.getElementById('rooms-note').textContent = cluster.roomsError ? 'room store: ' + cluster.roomsError : more;
  rows(document.querySelector('#rooms tbody'), cluster.rooms.map(r => {
    const tr = el('tr', { className: r.name === state.room ? 'selected' : '' },
      el('td', {}, r.name), el('td', {}, r.members), el('td', {}, r.presence ? 'yes' : 'no'),
      el('td', {}, r.history ? r.history.size + ' msgs / ' + Math.round(r.history.ttlMs / 1000) + ' s' : 'no'),
      el('td', {}, r.latestOffset ?? '—'));
    tr.dataset.room = r.name;
    tr.addEventListener('click', () => { state.room = r.name; renderSelection(); void refreshMembers(); });
    return tr;
  }));
}

function renderSelection() {
  document.getElementById('room-panel').hidden = state.room === null;
  document.getElementById('room-title').textContent = state.room ?? '';
  for (const tr of document.querySelectorAll('#rooms tbody tr')) tr.classList.toggle('selected', tr.dataset.room === state.room);
}

async function refreshMembers() {
  if (state.room === null) return;
  const room = state.room;
  const { members } = await call('/api/rooms/' + encodeURIComponent(room) + '/members');
  if (room !== state.room) return;
  rows(document.querySelector('#members tbody'), members.map(m => {
    const button = el('button', { type: 'button', className: 'danger' }, 'Disconnect');
    button.addEventListener('click', async () => {
      try { await post('/api/disconnect', { clientId: m.clientId }); notice('Disconnected ' + m.clientId); }
      catch (error) { notice('Disconnect failed: ' + error.message, true); }
      setTimeout(() => void refreshMembers().catch(() => {}), 500);
    });
    const tr = el('tr', {}, el('td', { title: m.clientId }, short(m.clientId)), el('td', {}, m.userId ?? '—'), el('td', {}, m.username ?? '—'),
      el('td', { title: m.nodeId }, short(m.nodeId)), el('td', {}, button));
    tr.dataset.client = m.clientId;
    return tr;
  }));
}

function renderWarnings(cluster) {
  const list = cluster.warnings;
  document.getElementById('warnings-empty').hidden = list.length > 0;
  rows(document.querySelector('#warnings tbody'), list.map(w => el('tr', { className: w.level },
    el('td', {}, clock(w.time)), el('td', {}, short(w.nodeId)), el('td', {}, w.level), el('td', {}, w.msg),
    el('td', { className: 'detail' }, w.detail))));
}

function drawChart(canvas, series) {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth, height = canvas.clientHeight;
  canvas.width = width * ratio; canvas.height = height * ratio;
  const g = canvas.getContext('2d');
  g.scale(ratio, ratio);
  g.clearRect(0, 0, width, height);
  const max = Math.max(1, ...series.flatMap(s => s.values));
  const [left, top, bottom] = [40, 8, 18];
  g.strokeStyle = '#d8dde3'; g.fillStyle = '#5f6b7a'; g.font = '11px system-ui, sans-serif';
  for (const f of [0, 0.5, 1]) {
    const y = top + (height - top - bottom) * (1 - f);
    g.beginPath(); g.moveTo(left, y); g.lineTo(width, y); g.stroke();
    g.fillText(fmtRate(max * f), 4, y + 4);
  }
  g.fillText(Math.round(KEEP * POLL_MS / 1000) + ' s', left, height - 4);
  const step = (width - left) / (KEEP - 1);
  series.forEach((s, i) => {
    g.strokeStyle = s.color ?? COLORS[i % COLORS.length]; g.lineWidth = 2; g.beginPath();
    const offset = KEEP - s.values.length;
    s.values.forEach((v, j) => {
      const x = left + (offset + j) * step, y = top + (height - top - bottom) * (1 - v / max);
      if (j === 0) g.moveTo(x, y); else g.lineTo(x, y);
    });
    g.stroke();
  });
  const legend = canvas.nextElementSibling;
  legend.replaceChildren(...series.map((s, i) => el('span', {},
    el('i', { style: 'background:' + (s.color ?? COLORS[i % COLORS.length]) }), s.label)));
}

function renderCharts(cluster) {
  const reachable = cluster.nodes.filter(n => n.reachable);
  const byNode = Object.fromEntries(reachable.map(n => [n.nodeId, n.connections]));
  state.points.push({
    in: reachable.reduce((sum, n) => sum + n.messagesInPerSec, 0),
    out: reachable.reduce((sum, n) => sum + n.messagesOutPerSec, 0),
    byNode,
  });
  if (state.points.length > KEEP) state.points.shift();
  for (const n of cluster.nodes) if (!state.nodeIds.includes(n.nodeId)) state.nodeIds.push(n.nodeId);
  drawChart(document.getElementById('chart-messages'), [
    { label: 'in / s', values: state.points.map(p => p.in), color: COLORS[0] },
    { label: 'out / s', values: state.points.map(p => p.out), color: COLORS[1] },
  ]);
  drawChart(document.getElementById('chart-connections'), state.nodeIds.map((id, i) => ({
    label: short(id), color: COLORS[i % COLORS.length], values: state.points.map(p => p.byNode[id] ?? 0),
  })));
}

async function refresh() {
  try {
    const { cluster } = await call('/api/cluster');
    renderNodes(cluster); renderRooms(cluster); renderCharts(cluster); renderWarnings(cluster);
    await refreshMembers();
    document.getElementById('updated').textContent = 'updated ' + clock(cluster.at);
    document.getElementById('updated').className = '';
  } catch (error) {
    document.getElementById('updated').textContent = 'not updated: ' + error.message;
    document.getElementById('updated').className = 'bad';
  } finally {
    setTimeout(refresh, POLL_MS);
  }
}

document.getElementById('test-message').addEventListener('submit', async event => {
  event.preventDefault();
  const input = document.getElementById('test-text');
  try {
    await post('/api/rooms/' + encodeURIComponent(state.room) + '/messages', { text: input.value });
    notice('Sent a test message to ' + state.room);
  } catch (error) { notice('Send failed: ' + error.message, true); }
});
void refresh();
`;
