/**
 * The code blocks of the READMEs and docs/, found, compiled and run by docs-code-blocks.test.ts so
 * documentation cannot rot. CONTRIBUTING.md ("Code blocks in the docs") describes the markers.
 */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What the test does with a block, from the `<!-- docs: ... -->` comment on the line before it. */
export type BlockMode = 'compile' | 'run' | 'run-server' | 'not-compiled';

export interface DocBlock {
  /** The Markdown file, relative to the repository root. */
  file: string;
  /** 1-based line in `file` of the block's first line of code. */
  line: number;
  lang: string;
  code: string;
  mode: BlockMode;
  /** Why a `not-compiled` block is not compiled (the marker must say). */
  reason?: string;
}

/** Languages the test compiles; every other fenced block must name its language (sh, json, ...). */
export const COMPILED_LANGS: ReadonlySet<string> = new Set(['ts', 'typescript', 'js', 'javascript']);

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/;
const MARKER = /^<!--\s*docs:\s*(.*?)\s*-->$/;

/** The Markdown files whose blocks are held: the root README, docs/, every package's and app's README. */
export function docFiles(root: string): string[] {
  const files = ['README.md'];
  const markdownIn = (dir: string) =>
    readdirSync(join(root, dir))
      .filter(name => name.endsWith('.md'))
      .sort()
      .map(name => `${dir}/${name}`);
  files.push(...markdownIn('docs'));
  for (const parent of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, parent)).sort()) {
      try {
        readFileSync(join(root, parent, name, 'README.md'));
        files.push(`${parent}/${name}/README.md`);
      } catch {
        // a folder without a README has no blocks
      }
    }
  }
  return files;
}

type Marker = { mode: BlockMode; reason?: string } | { problem: string };

/** The `<!-- docs: ... -->` comment on the last non-blank line before a fence, if any. */
function markerBefore(lines: string[], fenceIndex: number): Marker | undefined {
  let index = fenceIndex - 1;
  while (index >= 0 && lines[index]?.trim() === '') index--;
  const text = MARKER.exec(lines[index]?.trim() ?? '')?.[1];
  if (text === undefined) return undefined;
  if (text === 'run server') return { mode: 'run-server' };
  if (text === 'run') return { mode: 'run' };
  const notCompiled = /^not-compiled:\s*(\S.*)$/.exec(text);
  if (notCompiled?.[1]) return { mode: 'not-compiled', reason: notCompiled[1] };
  return { problem: `unknown marker <!-- docs: ${text} --> (run, run server, or not-compiled: <why>)` };
}

/** Every fenced block of one Markdown text, with an error for each fence that names no language. */
export function parseBlocks(file: string, text: string): { blocks: DocBlock[]; problems: string[] } {
  const lines = text.split('\n');
  const blocks: DocBlock[] = [];
  const problems: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const open = FENCE.exec(lines[index] ?? '');
    if (!open) continue;
    const [, indent = '', fence = '', lang = ''] = open;
    const body: string[] = [];
    let end = index + 1;
    while (end < lines.length && !(lines[end] ?? '').trim().startsWith(fence)) {
      body.push((lines[end] ?? '').replace(new RegExp(`^ {0,${indent.length}}`), ''));
      end++;
    }
    if (end >= lines.length) problems.push(`${file}:${index + 1}: code block never closed`);
    if (lang === '')
      problems.push(`${file}:${index + 1}: code block names no language (ts, sh, json, text, ...)`);
    const marker = markerBefore(lines, index);
    const normalized = lang.toLowerCase();
    if (marker && 'problem' in marker) problems.push(`${file}:${index + 1}: ${marker.problem}`);
    else if (marker && !COMPILED_LANGS.has(normalized)) {
      problems.push(`${file}:${index + 1}: a docs marker on a ${lang || 'plain'} block does nothing`);
    }
    const chosen = marker && !('problem' in marker) ? marker : { mode: 'compile' as const };
    blocks.push({ file, line: index + 2, lang: normalized, code: body.join('\n'), ...chosen });
    index = end;
  }
  return { blocks, problems };
}

/** The blocks of every doc file under `root`, and the problems of their fences and markers. */
export function collectBlocks(root: string): { blocks: DocBlock[]; problems: string[] } {
  const blocks: DocBlock[] = [];
  const problems: string[] = [];
  for (const file of docFiles(root)) {
    const parsed = parseBlocks(file, readFileSync(join(root, file), 'utf8'));
    blocks.push(...parsed.blocks);
    problems.push(...parsed.problems);
  }
  return { blocks, problems };
}

/** The file name a block is compiled (and run) under, unique and traceable to its source. */
export function blockFileName(block: DocBlock, extension: string): string {
  return `${block.file.replace(/\.md$/, '').replace(/[^A-Za-z0-9]+/g, '_')}_L${block.line}.${extension}`;
}
