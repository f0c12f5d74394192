/**
 * Compiles every TypeScript and JavaScript block of the docs in one TypeScript program (one
 * program for all: a program per block would spend most of its time loading the same .d.ts
 * files again), against the packages' published types (dist/*.d.ts, as a user gets them).
 */

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { blockFileName, type DocBlock } from './doc-blocks';

/** The workspace's strict settings (tsconfig.base.json), without its `source` condition. */
const OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true,
  noUncheckedIndexedAccess: true,
  exactOptionalPropertyTypes: true,
  noImplicitOverride: true,
  noFallthroughCasesInSwitch: true,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  resolveJsonModule: true,
  esModuleInterop: true,
  skipLibCheck: true,
  allowJs: true,
  checkJs: true,
  noEmit: true,
  types: ['node'],
};

/** Writes each block to `dir` (a folder inside the workspace, so its packages resolve). */
export function writeBlocks(blocks: readonly DocBlock[], dir: string): Map<string, DocBlock> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const byPath = new Map<string, DocBlock>();
  for (const block of blocks) {
    const path = join(dir, blockFileName(block, block.lang.startsWith('j') ? 'js' : 'ts'));
    // Appended, not prepended, so line n of the block stays line n of the file. Every block is a
    // module: top-level await works and names never clash between blocks.
    writeFileSync(path, `${block.code}\nexport {};\n`);
    byPath.set(path, block);
  }
  return byPath;
}

function where(diagnostic: ts.Diagnostic, byPath: Map<string, DocBlock>): string {
  const { file, start } = diagnostic;
  if (!file || start === undefined) return 'compiler';
  const block = byPath.get(file.fileName);
  const { line, character } = file.getLineAndCharacterOfPosition(start);
  if (!block) return `${file.fileName}:${line + 1}:${character + 1}`;
  return `${block.file}:${block.line + line}:${character + 1}`;
}

/** Compiles the written blocks; each error as `README.md:42:7 TS2304 Cannot find name 'x'.` */
export function compileBlocks(byPath: Map<string, DocBlock>): string[] {
  const program = ts.createProgram([...byPath.keys()], OPTIONS);
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...[...byPath.keys()].flatMap(path => {
      const source = program.getSourceFile(path);
      return source
        ? [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]
        : [];
    }),
  ];
  return diagnostics.map(
    diagnostic =>
      `${where(diagnostic, byPath)} TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
  );
}
