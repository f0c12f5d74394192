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
// The README's screenshot is refreshed on request; other runs leave the working tree alone.
const screenshot = process.env.UPDATE_SCREENSHOT
  ? join(here, '..', '..', '..', 'docs', 'chat.png')
  : join(tmpdir(), `roomcast-chat-${process.pid}.png`);
const clientBuild = join(
  dirname(createRequire(import.meta.url).resolve('@roomcast/client/package.json')),
  'dist',
  'roomcast-client.min.js',
);

let redis: RedisProcess;
let redisUrl: string;
const workers: ChatProcess[] = [];
let relay: NetworkRelay;
/** Worker 1, reached through the relay whose network the tests can take down. */
let viaRelay: string;
/** Worker 2, reached directly. */
let direct: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(clientBuild)) throw new Error(`${clientBuild} is missing: build @roomcast/client first`);
  redis = await startRedis();
  redisUrl = `redis://127.0.0.1:${redis.port}`;
  // Both workers verify the tokens either one signs, as `--workers 2` arranges for its forks.
  const env = { CHAT_JWT_SECRET: randomBytes(32).toString('hex') };
  for (let i = 0; i < 2; i++) workers.push(await startChat(await freePort(), ['--redis', redisUrl], env));
  const [first, second] = workers as [ChatProcess, ChatProcess];
  relay = await NetworkRelay.start(Number(new URL(first.url).port));
  viaRelay = `http://127.0.0.1:${relay.port}`;
  direct = second.url;
  browser = await chromium.launch(CHROMIUM_LAUNCH_OPTIONS);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await relay?.stop();
  await Promise.all(workers.map(worker => worker.stop()));
  await redis?.stop();
});

async function login(name: string, base: string): Promise<Page> {
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

/** The `(away n)` markers of the messages a page shows, in display order. */
async function shownAway(page: Page): Promise<string[]> {
  const texts = await page.locator('#messages .msg').allTextContents();
  return texts.map(text => text.match(/\(away \d+\)/)?.[0]).filter(t => t !== undefined);
}

describe('chat on two workers sharing Redis, in real Chromium', () => {
  it('lets users on different workers talk, see each other online and typing, and DM', async () => {
    const ada = await login('ada', viaRelay);
    const bob = await login('bob', direct);

    await ada.locator('#online li', { hasText: 'bob' }).waitFor();
    await bob.locator('#online li', { hasText: 'ada' }).waitFor();

    await say(ada, 'hello bob');
    await bob.locator('#messages .msg', { hasText: 'hello bob' }).waitFor();
    await say(bob, 'hi ada');
    await ada.locator('#messages .msg', { hasText: 'hi ada' }).waitFor();

    await bob.locator('#text').pressSequentially('typing…');
    await ada.locator('#typing', { hasText: 'bob is typing' }).waitFor();

    // A user who joins later gets the room's recent messages.
    const cy = await login('cy', direct);
    await cy.locator('#messages .msg', { hasText: 'hello bob' }).waitFor();
    await cy.locator('#messages .msg', { hasText: 'hi ada' }).waitFor();

    await say(ada, '/dm bob just for you');
    await bob.locator('#messages .dm', { hasText: 'just for you' }).waitFor();
    expect(await cy.locator('#messages', { hasText: 'just for you' }).count()).toBe(0);

    mkdirSync(dirname(screenshot), { recursive: true });
    await ada.screenshot({ path: screenshot });
    if (!process.env.UPDATE_SCREENSHOT) rmSync(screenshot);
    for (const page of [ada, bob, cy]) await page.close();
  });

  it('shows every message sent while a page was offline once, in order; a reload shows them too', async () => {
    const dee = await login('dee', viaRelay);
    const eve = await login('eve', direct);
    await dee.locator('#online li', { hasText: 'eve' }).waitFor();

    relay.down();
    await dee.locator('#status', { hasText: 'reconnecting' }).waitFor();
    const sent = Array.from({ length: 10 }, (_, i) => `(away ${i + 1})`);
    for (const text of sent) {
      await say(eve, text);
      await eve.locator('#messages .msg', { hasText: text }).waitFor();
    }
    relay.up();

    await dee.locator('#status', { hasText: 'online' }).waitFor();
    await dee.locator('#messages .msg', { hasText: '(away 10)' }).waitFor();
    expect(await shownAway(dee)).toEqual(sent);

    await dee.reload();
    await dee.fill('#name', 'dee');
    await dee.click('#login-form button');
    await dee.locator('#messages .msg', { hasText: '(away 10)' }).waitFor();
    expect(await shownAway(dee)).toEqual(sent);
    await dee.close();
    await eve.close();
  });
});

describe('`pnpm chat` (src/main.js)', () => {
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
      expect((await fetch(`${chat.url}/client.js`)).status).toBe(200);
    } finally {
      await chat.stop();
    }
  });
});
