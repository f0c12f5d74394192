import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const measured = new URL('../dist/browser-size.json', import.meta.url);
const readme = new URL('../README.md', import.meta.url);

describe('the browser bundle', () => {
  it.skipIf(!existsSync(measured))('is as small as the README says (update it after a build if not)', () => {
    const { gzipped, minified } = JSON.parse(readFileSync(measured, 'utf8')) as Record<string, number>;
    const stated = `**${gzipped?.toLocaleString('en-US')} bytes gzipped**\n(${minified?.toLocaleString('en-US')} minified)`;
    expect(readFileSync(readme, 'utf8')).toContain(stated);
  });
});
