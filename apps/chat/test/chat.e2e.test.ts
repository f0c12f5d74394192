import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_LAUNCH_OPTIONS } from '../../../test-support/chromium';
import { createChatApp } from '../src/chat-app.js';

const here = dirname(fileURLToPath(import.meta.url));
const screenshot = join(here, '..', '..', '..', 'docs', 'chat.png');
const clientBuild = join(
  dirname(createRequire(import.meta.url).resolve('@roomcast/client/package.json')),
  'dist',
  'browser.js',
);

let app: ReturnType<typeof createChatApp>;
let browser: Browser;
let base: string;

beforeAll(async () => {
  if (!existsSync(clientBuild)) throw new Error(`${clientBuild} is missing: build @roomcast/client first`);
  app = createChatApp({ port: 0, logger: false, handleSignals: false });
  await app.start();
  base = `http://127.0.0.1:${app.webserver.port}`;
  browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function login(name: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 600 } });
  page.on('pageerror', error => console.error(`[${name}] page error:`, error.message));
  await page.goto(base);
  await page.fill('#name', name);
  await page.click('#login-form button');
  await page.locator('#title', { hasText: '#general' }).waitFor();
  await page.locator('#status', { hasText: 'online' }).waitFor();
  return page;
}

async function say(page: Page, text: string): Promise<void> {
  await page.fill('#text', text);
  await page.click('#send-form button');
}

describe('chat in a real browser', () => {
  it('lets two users talk in #general, see each other online and typing', async () => {
    const ada = await login('ada');
    const bob = await login('bob');

    await ada.locator('#online li', { hasText: 'bob' }).waitFor();
    await bob.locator('#online li', { hasText: 'ada' }).waitFor();

    await say(ada, 'hello bob');
    await bob.locator('#messages .msg', { hasText: 'hello bob' }).waitFor();
    await say(bob, 'hi ada');
    await ada.locator('#messages .msg', { hasText: 'hi ada' }).waitFor();

    await bob.locator('#text').pressSequentially('typing…');
    await ada.locator('#typing', { hasText: 'bob is typing' }).waitFor();

    // A user who joins later sees the recent history.
    const cy = await login('cy');
    await cy.locator('#messages .msg', { hasText: 'hello bob' }).waitFor();
    await cy.locator('#messages .msg', { hasText: 'hi ada' }).waitFor();

    await say(ada, '/dm bob just for you');
    await bob.locator('#messages .dm', { hasText: 'just for you' }).waitFor();
    expect(await cy.locator('#messages', { hasText: 'just for you' }).count()).toBe(0);

    mkdirSync(dirname(screenshot), { recursive: true });
    await ada.screenshot({ path: screenshot });
    await cy.close();
    await ada.close();
    await bob.close();
  });

  it('loses nothing across a reconnect', async () => {
    const dee = await login('dee');
    const eve = await login('eve');
    // Drop dee's socket (as a network blip would); the client reconnects and rejoins with `since`.
    const clientId = await dee.evaluate(
      () => (window as unknown as { chat: { clientId: string } }).chat.clientId,
    );
    app.websocket.server.disconnectClient(clientId, 1012, 'blip');
    await say(eve, 'sent while dee was away');
    await dee.locator('#messages .msg', { hasText: 'sent while dee was away' }).waitFor();
    expect(await dee.locator('#messages .msg', { hasText: 'sent while dee was away' }).count()).toBe(1);
    await dee.close();
    await eve.close();
  });
});
