// The chat as people use it: three users (ada, bob, cy) in real headless Chromium, on two chat
// processes (A and B) that share a redis-server this file starts. Ada and cy reach A through a
// relay (their "network"), bob reaches B directly; each process names the other (through its
// relay) with --peers, so a page whose process is gone reconnects to the other (`url: [...]`).
// The tests share the pages and run in order: each leaves the chat as the next one expects.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM_LAUNCH_OPTIONS } from '@roomcast/test-support/chromium';
import { NetworkRelay } from '@roomcast/test-support/network-relay';
import { freePort, type RedisProcess, startRedis } from '@roomcast/test-support/redis-process';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChatProcess, startChat } from './chat-process';

const here = dirname(fileURLToPath(import.meta.url));
// The READMEs' screenshots are refreshed on request; other runs leave the working tree alone.
const screenshotPath = (name: string) =>
  process.env.UPDATE_SCREENSHOT
    ? join(here, '..', '..', '..', 'docs', name)
    : join(tmpdir(), `roomcast-${process.pid}-${name}`);
const clientBuild = join(
  dirname(createRequire(import.meta.url).resolve('@roomcast/client/package.json')),
  'dist',
  'roomcast-client.min.js',
);
/** Long enough for the offline test, short enough that a renewal happens during the suite. */
const TOKEN_TTL_SECONDS = 40;

let redis: RedisProcess;
let redisUrl: string;
let processA: ChatProcess;
let processB: ChatProcess;
const relays: NetworkRelay[] = [];
/** Process A through its relay (ada, cy). */
let siteA: string;
/** Process B, direct (bob). */
let siteB: string;
let browser: Browser;
const pages: Page[] = [];
let ada: Page;
let bob: Page;
let cy: Page;

beforeAll(async () => {
  if (!existsSync(clientBuild)) throw new Error(`${clientBuild} is missing: build @roomcast/client first`);
  redis = await startRedis();
  redisUrl = `redis://127.0.0.1:${redis.port}`;
  const [portA, portB] = [await freePort(), await freePort()];
  const relayA = await NetworkRelay.start(portA);
  const relayB = await NetworkRelay.start(portB);
  relays.push(relayA, relayB);
  // Both verify the tokens either one signs, as `--workers 2` arranges for its forks.
  const env = { CHAT_JWT_SECRET: randomBytes(32).toString('hex'), CHAT_TOKEN_TTL: String(TOKEN_TTL_SECONDS) };
  const peer = (relay: NetworkRelay) => ['--redis', redisUrl, '--peers', `http://127.0.0.1:${relay.port}`];
  [processA, processB] = await Promise.all([
    startChat(portA, peer(relayB), env),
    startChat(portB, peer(relayA), env),
  ]);
  siteA = `http://127.0.0.1:${relayA.port}`;
  siteB = processB.url;
  browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  for (const relay of relays) await relay.stop();
  await Promise.all([processA?.stop(), processB?.stop()]);
  await redis?.stop();
});

async function open(site: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1000, height: 640 } });
  pages.push(page);
  page.on('pageerror', error => console.error('page error:', error.message));
  await page.goto(site);
  return page;
}

async function signIn(page: Page, name: string): Promise<void> {
  await page.fill('#name', name);
  await page.click('#login-form button');
  await ready(page);
}

/** Signed in, online, in #general with its history shown. */
async function ready(page: Page): Promise<void> {
  await page.locator('#status', { hasText: /^online$/ }).waitFor();
  await page.locator('#title', { hasText: '#general' }).waitFor();
}

async function say(page: Page, text: string): Promise<void> {
  await page.fill('#text', text);
  await page.click('#send-form button');
}

const message = (page: Page, text: string) => page.locator('#messages .msg:not(.pending)', { hasText: text });
const notice = (page: Page) => page.locator('#notice');

async function openRoom(page: Page, label: string): Promise<void> {
  await page.locator('#rooms .pick, #dms .pick', { hasText: label }).first().click();
  await page.locator('#title', { hasText: label }).waitFor();
}

/**
 * Bob types while `watcher` waits for his typing line. The line goes 3 s after the last
 * announcement, so on a loaded machine, where the keystrokes themselves can take longer than
 * that, waiting only once typing is over could miss a line that came and went.
 */
async function typeWatched(typist: Page, text: string, watcher: Page): Promise<void> {
  const seen = watcher.locator('#typing', { hasText: 'bob is typing' }).waitFor();
  await typist.locator('#text').pressSequentially(text);
  await seen;
}

async function saveScreenshot(page: Page, name: string): Promise<void> {
  const path = screenshotPath(name);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path });
  if (!process.env.UPDATE_SCREENSHOT) rmSync(path);
}

describe('the chat: three users on two processes sharing Redis, in real Chromium', () => {
  it('shows an error when the login cannot reach the server, then logs in once it can', async () => {
    ada = await open(siteA);
    // The card's title stays on one line.
    const titleLines = await ada.evaluate(() => {
      const range = document.createRange();
      range.selectNodeContents(document.getElementById('login-title') as HTMLElement);
      return new Set(Array.from(range.getClientRects(), rect => Math.round(rect.top))).size;
    });
    expect(titleLines).toBe(1);
    relays[0]?.down();
    await ada.fill('#name', 'ada');
    await ada.click('#login-form button');
    await ada.locator('#login-error', { hasText: 'Cannot reach the chat server' }).waitFor();
    expect(await ada.locator('#login').isVisible()).toBe(true);
    relays[0]?.up();
    await ada.click('#login-form button');
    await ready(ada);
    await ada.locator('#messages .empty', { hasText: 'No messages in #general yet' }).waitFor();
  });

  it('labels every field and button, and renders a narrow screen without horizontal scrolling', async () => {
    const unlabelled = await ada.evaluate(() => [
      ...Array.from(document.querySelectorAll('input'))
        .filter(input => input.labels?.length === 0)
        .map(input => input.id),
      ...Array.from(document.querySelectorAll('button'))
        .filter(button => !(button.getAttribute('aria-label') ?? button.textContent ?? '').trim())
        .map(button => button.outerHTML),
    ]);
    expect(unlabelled).toEqual([]);
    expect(await ada.getAttribute('#status', 'role')).toBe('status');
    expect(await ada.getAttribute('#notice', 'role')).toBe('alert');
    expect(await ada.locator('#room-form button', { hasText: 'Join' }).count()).toBe(1);
    await ada.locator('#room-hint', { hasText: 'creates the room' }).waitFor();

    await ada.setViewportSize({ width: 360, height: 740 });
    const overflow = () =>
      ada.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    for (const id of ['text', 'room-name', 'online'])
      expect(await ada.locator(`#${id}`).isVisible()).toBe(true);
    await saveScreenshot(ada, 'chat-narrow.png');
    await ada.setViewportSize({ width: 1000, height: 640 });
  });

  it('lets users on both processes talk, see who is online and who is typing', async () => {
    bob = await open(siteB);
    await signIn(bob, 'bob');
    cy = await open(siteA);
    await signIn(cy, 'cy');
    for (const [page, others] of [
      [ada, ['bob', 'cy']],
      [bob, ['ada', 'cy']],
    ] as const) {
      for (const other of others) await page.locator('#online li', { hasText: other }).waitFor();
    }
    await say(ada, 'hello bob');
    await message(bob, 'hello bob').waitFor();
    await say(bob, 'hi ada');
    await message(ada, 'hi ada').waitFor();
    await message(cy, 'hi ada').waitFor();
    await typeWatched(bob, 'typing', ada);
    await bob.fill('#text', '');
  });

  it('gives a DM conversation its own place, with history that survives a room switch and a reload', async () => {
    await say(ada, '/dm bob just for you');
    await ada.locator('#title', { hasText: 'Conversation with bob' }).waitFor();
    await message(ada, 'just for you').waitFor();
    // Bob's page joins the conversation and flags it unread; #general does not show it.
    await bob.locator('#dms .pick', { hasText: 'ada' }).locator('.badge').waitFor();
    expect(await message(bob, 'just for you').count()).toBe(0);
    await openRoom(bob, 'ada');
    await message(bob, 'just for you').waitFor();
    await say(bob, 'thanks, ada');
    await message(ada, 'thanks, ada').waitFor();
    // Nobody else sees it.
    expect(await cy.locator('#dms li').count()).toBe(0);
    expect(await message(cy, 'just for you').count()).toBe(0);

    await openRoom(ada, '#general');
    expect(await message(ada, 'just for you').count()).toBe(0);
    await openRoom(ada, 'bob');
    await message(ada, 'just for you').waitFor();
    await message(ada, 'thanks, ada').waitFor();

    await bob.reload();
    // The session is kept (no login), and so are the conversation and its history.
    await bob.locator('#status', { hasText: /^online$/ }).waitFor();
    expect(await bob.locator('#login').isVisible()).toBe(false);
    await bob.locator('#me', { hasText: 'as bob' }).waitFor();
    await bob.locator('#title', { hasText: 'Conversation with ada' }).waitFor();
    await message(bob, 'just for you').waitFor();
    await message(bob, 'thanks, ada').waitFor();
    await openRoom(bob, '#general');
    await message(bob, 'hello bob').waitFor();

    await openRoom(ada, '#general');
    await typeWatched(bob, 'see you', ada);
    await saveScreenshot(ada, 'chat.png');
    await bob.fill('#text', '');
  });

  it('shows why a message was refused: too long (the schema), or a DM to nobody', async () => {
    const long = 'x'.repeat(2001);
    await say(ada, long);
    await notice(ada).filter({ hasText: 'Text must be 1 to 2000 characters' }).waitFor();
    // The text is back in the input to fix, and nothing is left pending or shown as sent.
    expect(await ada.inputValue('#text')).toBe(long);
    // An error is red, not the purple of a conversation.
    expect(await notice(ada).evaluate(node => getComputedStyle(node).color)).toBe('rgb(185, 28, 28)');
    expect(await ada.locator('#messages .msg.pending').count()).toBe(0);
    expect(await message(bob, 'xxxxxxxxxx').count()).toBe(0);

    await say(ada, '/dm zed are you there?');
    await notice(ada).filter({ hasText: 'Nobody called zed is online' }).waitFor();
    expect(await ada.inputValue('#text')).toBe('/dm zed are you there?');
    expect(await ada.locator('#dms li', { hasText: 'zed' }).count()).toBe(0);
    await ada.fill('#text', '');
  });

  it('adds a room only when the server accepts it', async () => {
    const refused: [string, string][] = [
      ['bad name!', 'Room names are'],
      ['@online', 'kept for the chat itself'],
      ['@dm:bob:cy', 'Not allowed to join'],
    ];
    for (const [name, why] of refused) {
      await ada.fill('#room-name', name);
      await ada.click('#room-form button');
      await notice(ada).filter({ hasText: why }).waitFor();
      expect(await ada.locator('#rooms li, #dms li', { hasText: name }).count()).toBe(0);
    }
    await ada.fill('#room-name', 'lounge');
    await ada.press('#room-name', 'Enter');
    await ada.locator('#title', { hasText: '#lounge' }).waitFor();
    await ada.locator('#rooms li', { hasText: '#lounge' }).waitFor();
    await ada.locator('#messages .empty', { hasText: 'No messages in #lounge yet' }).waitFor();
    await ada.locator('#rooms li', { hasText: '#lounge' }).locator('.leave').click();
    await ada.locator('#title', { hasText: '#general' }).waitFor();
    expect(await ada.locator('#rooms li', { hasText: '#lounge' }).count()).toBe(0);
  });

  it('asks to log in again when the kept token is refused, instead of hanging', async () => {
    const page = await open(siteB);
    await page.evaluate(() =>
      sessionStorage.setItem(
        'chat.session',
        JSON.stringify({ name: 'eve', token: 'not-a-token', expiresAt: Date.now() + 60_000 }),
      ),
    );
    await page.reload();
    await page.locator('#login-error', { hasText: 'Please log in again' }).waitFor();
    expect(await page.locator('#login').isVisible()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('chat.session'))).toBeNull();
    await page.close();
  });

  it('shows no ghost "is typing" after a reload (typing is ephemeral)', async () => {
    await typeWatched(bob, 'about to say', cy);
    await cy.reload();
    await ready(cy);
    await message(cy, 'hi ada').waitFor();
    expect(await cy.locator('#typing').textContent()).toBe('');
    await bob.fill('#text', '');
  });

  it('renews the session token with auth.refresh before it expires', async () => {
    const first = await ada.evaluate(() => JSON.parse(sessionStorage.getItem('chat.session') ?? '{}'));
    // Past the first token's expiry: without a renewal the server would have closed the connection.
    await ada.waitForFunction(expiresAt => Date.now() > expiresAt + 1_000, first.expiresAt, {
      timeout: (TOKEN_TTL_SECONDS + 30) * 1_000,
      polling: 500,
    });
    const now = await ada.evaluate(() => JSON.parse(sessionStorage.getItem('chat.session') ?? '{}'));
    expect(now.token).not.toBe(first.token);
    expect(now.expiresAt).toBeGreaterThan(first.expiresAt);
    expect(await ada.locator('#status').textContent()).toBe('online');
    await say(ada, 'still here');
    await message(bob, 'still here').waitFor();
  }, 120_000);

  it('offline: keeps typed messages pending, greys presence, then replays and sends them once', async () => {
    for (const relay of relays) relay.down();
    await ada.locator('#status', { hasText: 'offline' }).waitFor();
    await ada.locator('#online.stale').waitFor();
    await ada.locator('#online-note', { hasText: 'may be out of date' }).waitFor();
    const away = Array.from({ length: 5 }, (_, i) => `(away ${i + 1})`);
    for (const text of away) {
      await say(bob, text);
      await message(bob, text).waitFor();
    }
    expect(await ada.isEnabled('#text')).toBe(true);
    await say(ada, 'written offline');
    await ada.locator('#messages .msg.pending', { hasText: 'written offline' }).waitFor();
    expect(await ada.inputValue('#text')).toBe('');
    for (const relay of relays) relay.up();

    await ada.locator('#status', { hasText: /^online$/ }).waitFor();
    await message(bob, 'written offline').waitFor();
    await message(ada, 'written offline').waitFor();
    expect(await ada.locator('#messages .msg.pending').count()).toBe(0);
    expect(await ada.locator('#online.stale').count()).toBe(0);
    const shown = await ada.locator('#messages .msg').allTextContents();
    const order = [...away, 'written offline'].map(text => shown.findIndex(line => line.includes(text)));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order.every(index => index >= 0)).toBe(true);
    expect(shown.filter(line => line.includes('written offline'))).toHaveLength(1);
    expect(await ada.locator('body', { hasText: 'No reply within' }).count()).toBe(0);
    expect(await message(bob, 'written offline').count()).toBe(1);
  });

  it('reconnects a page whose process was killed to the other process (url: [...])', async () => {
    const [relayA, relayB] = relays as [NetworkRelay, NetworkRelay];
    const socketUrl = (page: Page) =>
      page.evaluate(
        () => (window as unknown as { chat: { client: { socket?: WebSocket } } }).chat.client.socket?.url,
      );
    // A reload starts on the page's own process, A (the offline test may have moved cy).
    await cy.reload();
    await ready(cy);
    expect(await socketUrl(cy)).toContain(`:${relayA.port}/`);
    process.kill(processA.pid, 'SIGKILL');
    await processA.exited;
    await cy.waitForFunction(
      port =>
        (
          window as unknown as { chat: { client: { connected: boolean; socket?: WebSocket } } }
        ).chat.client.socket?.url.includes(`:${port}/`),
      relayB.port,
      { timeout: 60_000, polling: 200 },
    );
    for (const page of [ada, cy]) await page.locator('#status', { hasText: /^online$/ }).waitFor();
    await say(ada, 'on the other process now');
    await message(bob, 'on the other process now').waitFor();
    await message(cy, 'on the other process now').waitFor();
    await say(bob, 'welcome back');
    await message(ada, 'welcome back').waitFor();
    for (const page of pages) await page.close();
  });
});

describe('`pnpm chat` (dist/main.js)', () => {
  it.each([
    // `pnpm chat -- <flags>` hands main.js a literal `--`.
    ['on the embedded default, with no Redis', ['--']],
    ['on two workers with --redis', ['--workers', '2']],
  ])('serves the page and the browser client %s', async (_, args) => {
    const extra = args.includes('--workers') ? [...args, '--redis', redisUrl] : args;
    const chat = await startChat(await freePort(), extra);
    try {
      const page = await fetch(chat.url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html');
      for (const file of ['/client.js', '/app.js', '/view.js', '/style.css'])
        expect((await fetch(`${chat.url}${file}`)).status).toBe(200);
    } finally {
      await chat.stop();
    }
  });
});
