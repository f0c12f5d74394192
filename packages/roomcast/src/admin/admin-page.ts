import { ADMIN_PAGE_SCRIPT } from './admin-page-script';

const STYLE = `
:root { font: 14px/1.4 system-ui, sans-serif; color: #1d2733; background: #f4f6f8; }
body { margin: 0; }
header { display: flex; align-items: baseline; gap: 16px; padding: 12px 20px; background: #1d2733; color: #fff; }
header h1 { font-size: 18px; margin: 0; }
header #updated { color: #b9c4cf; font-size: 12px; }
main { padding: 16px 20px; display: grid; gap: 16px; grid-template-columns: 1fr 1fr; }
section { min-width: 0; background: #fff; border: 1px solid #d8dde3; border-radius: 6px; padding: 12px 14px; overflow-x: auto; }
section.wide { grid-column: 1 / -1; }
h2 { font-size: 14px; margin: 0 0 8px; text-transform: uppercase; letter-spacing: .04em; color: #5f6b7a; }
table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #eef1f4; white-space: nowrap; }
th { font-weight: 600; color: #5f6b7a; font-size: 12px; }
#rooms tbody tr { cursor: pointer; }
#rooms tbody tr:hover, tr.selected { background: #eaf2fb; }
tr.unreachable td { color: #b3261e; font-weight: 600; }
tr.error td { color: #b3261e; } tr.warn td { color: #8a5a00; }
td.detail { white-space: normal; font-family: ui-monospace, monospace; font-size: 12px; color: #5f6b7a; }
canvas { width: 100%; height: 160px; display: block; }
.legend span { margin-right: 14px; font-size: 12px; } .legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; border-radius: 2px; }
button { font: inherit; padding: 2px 10px; border-radius: 4px; border: 1px solid #9aa6b2; background: #fff; cursor: pointer; }
button.danger { border-color: #b3261e; color: #b3261e; }
form { display: flex; gap: 8px; margin: 8px 0; } input { font: inherit; flex: 1; padding: 3px 6px; }
#notice.good { color: #17663f; } #notice.bad, .bad { color: #b3261e !important; }
.note { color: #5f6b7a; font-size: 12px; }
`;

/** The dashboard as one self-contained HTML document: style and script inline, no other request but its JSON. */
export function adminPage(base: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Roomcast admin</title><style>${STYLE}</style></head>
<body data-base="${escapeAttribute(base)}">
<header><h1>Roomcast admin</h1><span id="updated">loading…</span><span id="notice"></span></header>
<main>
<section class="wide"><h2>Nodes</h2><table id="nodes"><thead><tr><th>Node</th><th>Status</th><th>Uptime</th>
<th>Connections</th><th>Rooms</th><th>In / s</th><th>Out / s</th><th>Dropped</th><th>Slow closed</th>
<th>Rate-limited</th><th>Bus</th><th>Memory (RSS)</th></tr></thead><tbody></tbody></table></section>
<section><h2>Messages per second (cluster)</h2><canvas id="chart-messages"></canvas><div class="legend"></div></section>
<section><h2>Connections per node</h2><canvas id="chart-connections"></canvas><div class="legend"></div></section>
<section><h2>Rooms <span id="rooms-note" class="note"></span></h2><table id="rooms"><thead><tr><th>Room</th>
<th>Members</th><th>Presence</th><th>History</th><th>Latest offset</th></tr></thead><tbody></tbody></table>
<p class="note">Click a room to see its members.</p></section>
<section id="room-panel" hidden><h2>Members of <span id="room-title"></span></h2>
<table id="members"><thead><tr><th>Client</th><th>User</th><th>Username</th><th>Node</th><th></th></tr></thead><tbody></tbody></table>
<form id="test-message"><input id="test-text" maxlength="1000" placeholder="An ephemeral test message ({ type: 'admin', action: 'test' })">
<button type="submit">Send</button></form></section>
<section class="wide"><h2>Recent warnings and errors</h2><p id="warnings-empty" class="note">None.</p>
<table id="warnings"><tbody></tbody></table></section>
</main>
<script>${ADMIN_PAGE_SCRIPT}</script>
</body></html>`;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
