// Issue 21: the admin dashboard in headless Chromium, served by node 1 of two nodes on one
// redis-server (node 2 in its own process). The page lists both nodes; a room's members on both
// appear without a reload as clients join, and so does a new room; its Disconnect button closes
// a client of node 2; the test message reaches the room; the page logs no error. A browser
// without the credentials gets 401. UPDATE_SCREENSHOT=1 rewrites docs/admin.png (the README's).
import { fileURLToPath } from 'node:url';
import { CHROMIUM_LAUNCH_OPTIONS } from '@roomcast/test-support/chromium';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN_PASSWORD, type AdminCluster, AS_ADMIN, startAdminCluster } from './support/admin-cluster';

const SCREENSHOT = fileURLToPath(new URL('../../../docs/admin.png', import.meta.url));
const WAIT = { timeout: 30_000 };

let cluster: AdminCluster;
let browser: Browser;

beforeAll(async () => {
  cluster = await startAdminCluster();
  browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await cluster?.stop();
});

/** Every uncaught page error and console error, to assert there were none. */
function errorsOf(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', error => errors.push(`pageerror: ${error.message}`));
  page.on('console', message => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  return errors;
}

it('answers 401 to a browser without the credentials, or with wrong ones', async () => {
  for (const httpCredentials of [undefined, { username: 'admin', password: `${ADMIN_PASSWORD}!` }]) {
    const context = await browser.newContext(httpCredentials ? { httpCredentials } : {});
    const page = await context.newPage();
    const statuses: number[] = [];
    page.on('response', response => statuses.push(response.status()));
    // Chromium ends a navigation whose credentials were refused with ERR_INVALID_AUTH_CREDENTIALS.
    await page.goto(`${cluster.base1}/admin`).catch((error: Error) => {
      expect(error.message).toMatch(/ERR_INVALID_AUTH_CREDENTIALS/);
    });
    expect(statuses).toContain(401);
    expect(statuses).not.toContain(200);
    await context.close();
  }
}, 60_000);

it('shows both nodes, members across them and new rooms live; disconnects; no page errors', async () => {
  const context = await browser.newContext({
    httpCredentials: { username: 'admin', password: ADMIN_PASSWORD },
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  const errors = errorsOf(page);
  expect((await page.goto(`${cluster.base1}/admin`))?.status()).toBe(200);
  await page.locator('#nodes tbody tr:not(.unreachable)').nth(1).waitFor(WAIT);
  expect(
    await page.locator('#nodes tbody tr').evaluateAll(rows => rows.map(r => r.getAttribute('title'))),
  ).toContain(cluster.node2Id);

  // Clients join after the page loaded: the page shows them without a reload.
  const alice = await cluster.join(cluster.base1, 'chat:lobby', 'alice');
  const bob = await cluster.join(cluster.base2, 'chat:lobby', 'bob');
  const lobby = page.locator('#rooms tbody tr[data-room="chat:lobby"]');
  await expect.poll(() => lobby.locator('td').nth(1).textContent(), WAIT).toBe('2');
  await lobby.click();
  await page.locator(`#members tr[data-client="${alice.clientId}"]`).waitFor(WAIT);
  const bobRow = page.locator(`#members tr[data-client="${bob.clientId}"]`);
  await bobRow.waitFor(WAIT);
  expect(await bobRow.locator('td').nth(3).getAttribute('title')).toBe(cluster.node2Id);
  expect(await bobRow.locator('td').nth(2).textContent()).toBe('bob');

  await cluster.join(cluster.base2, 'chat:new', 'carol');
  await page.locator('#rooms tbody tr[data-room="chat:new"]').waitFor(WAIT);

  // A little traffic for the message chart: each test message goes out to the lobby's members.
  for (let i = 0; i < 6; i++) {
    await fetch(`${cluster.base1}/admin/api/rooms/chat%3Alobby/messages`, {
      method: 'POST',
      headers: { ...AS_ADMIN, 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: `warm-up ${i}` }),
    });
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  // The charts draw on every refresh: wait for one more, then look for drawn pixels.
  const updated = await page.textContent('#updated');
  await expect.poll(() => page.textContent('#updated'), WAIT).not.toBe(updated);
  const drawn = await page.evaluate(() => {
    const canvas = document.getElementById('chart-connections') as HTMLCanvasElement;
    const pixels = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? [];
    return Array.from(pixels).some(value => value !== 0);
  });
  expect(drawn).toBe(true);

  if (process.env['UPDATE_SCREENSHOT'] === '1') await page.screenshot({ path: SCREENSHOT, fullPage: true });

  // Disconnect a client held by node 2, from node 1's page.
  await bobRow.getByRole('button', { name: 'Disconnect' }).click();
  expect((await bob.closed).code).toBe(1000);
  await bobRow.waitFor({ state: 'detached', ...WAIT });

  await page.fill('#test-text', 'hello from the dashboard');
  await page.click('#test-message button');
  const test = await alice.next(
    frame => frame.type === 'admin' && (frame.data as { text?: string }).text === 'hello from the dashboard',
  );
  expect(test.data).toMatchObject({ room: 'chat:lobby', text: 'hello from the dashboard' });
  await expect.poll(() => page.textContent('#notice'), WAIT).toContain('Sent a test message');

  expect(errors).toEqual([]);
  await context.close();
}, 180_000);
