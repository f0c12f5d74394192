// What an open admin dashboard costs an idle node: CPU time of the node's process per second of
// wall time, read from /proc/<pid>/stat, for SECONDS without a dashboard and then SECONDS with
// the page open in headless Chromium (polling every 2 s). By hand, not a test:
//   node packages/tests/scripts/admin-idle-cost.mjs          (after pnpm build; Linux only)
// The node is support/admin-node.mjs (a WebApplication with `admin`, on a redis-server this
// script starts on a free 127.0.0.1 port). Everything it starts is stopped by pid at the end.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';

const SECONDS = Number(process.env.SECONDS_PER_RUN ?? 30);
const PASSWORD = 'idle-cost-admin-password';
const TICKS_PER_SECOND = 100; // USER_HZ on Linux

const freePort = () =>
  new Promise(resolve => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });

/** utime + stime of a process, in ms. */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
}

async function measure(pid) {
  const [before, start] = [cpuMs(pid), Date.now()];
  await sleep(SECONDS * 1000);
  return (cpuMs(pid) - before) / ((Date.now() - start) / 1000);
}

const redisPort = await freePort();
const redis = spawn(
  'redis-server',
  ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
  {
    stdio: 'ignore',
  },
);
const node = spawn(process.execPath, [new URL('../src/support/admin-node.mjs', import.meta.url).pathname], {
  env: { ...process.env, REDIS_PORT: String(redisPort), APP_NAME: 'idle-cost', ADMIN_PASSWORD: PASSWORD },
  stdio: ['ignore', 'pipe', 'inherit'],
});
let browser;
try {
  let output = '';
  for (let i = 0; i < 300 && !/listening (\d+)/.test(output); i++) {
    if (i % 20 === 0 && i > 0 && node.exitCode !== null) throw new Error('the node exited');
    output += node.stdout.read()?.toString() ?? '';
    await sleep(100);
  }
  const port = /listening (\d+)/.exec(output)?.[1];
  if (!port) throw new Error(`the node did not start: ${output}`);
  await sleep(3000); // start-up settles
  const idle = await measure(node.pid);
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  const context = await browser.newContext({ httpCredentials: { username: 'admin', password: PASSWORD } });
  await (await context.newPage()).goto(`http://127.0.0.1:${port}/admin`);
  await sleep(4000); // the first polls
  const watched = await measure(node.pid);
  const line = (label, value) => `${label.padEnd(30)} ${value.toFixed(2)} ms CPU per second`;
  process.stdout.write(
    [
      `node ${process.version}, ${SECONDS} s each, CPU of the node process only`,
      line('idle, no dashboard', idle),
      line('idle, one dashboard open', watched),
      line('the dashboard costs', watched - idle),
      '',
    ].join('\n'),
  );
} finally {
  await browser?.close();
  node.kill('SIGTERM');
  redis.kill('SIGTERM');
}
