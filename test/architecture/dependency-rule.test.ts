import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDependencyRule, ENV_ACCESS, findCycles, scanImportGraph, type ImportGraph } from './dependency-rule.ts';
import { KNOWN_VIOLATIONS } from './known-violations.ts';

const keys = (graph: ImportGraph) => checkDependencyRule(graph).map((v) => v.key);
const graphOf = (entries: Record<string, string[]>): ImportGraph => new Map(Object.entries(entries));

describe('checkDependencyRule', () => {
  it('fails on a door importing another door, in every direction, and allows imports within a door', () => {
    const graph = graphOf({
      'src/api/routes/notes.ts': ['workers/note-pipeline.ts', 'src/api/problems.ts', 'src/notes/pipeline.ts'],
      'src/api/problems.ts': [],
      'src/cli/serve.ts': ['src/api/app.ts'],
      'src/api/app.ts': [],
      'workers/note-pipeline.ts': ['src/cli/program.ts'],
      'src/cli/program.ts': [],
      'src/notes/pipeline.ts': [],
    });
    expect(keys(graph)).toEqual([
      'door-imports-door: src/api/routes/notes.ts -> workers/note-pipeline.ts',
      'door-imports-door: src/cli/serve.ts -> src/api/app.ts',
      'door-imports-door: workers/note-pipeline.ts -> src/cli/program.ts',
    ]);
  });

  it('fails on a domain module doing I/O (file system, database, Redis, queue, HTTP, environment), not on a door doing it', () => {
    const io = ['node:fs', 'node:fs/promises', 'pg', 'ioredis', 'bullmq', 'hono', 'hono/request-id', '@hono/zod-openapi', '@electric-sql/pglite', ENV_ACCESS];
    const graph = graphOf({
      'src/clinical/structure.ts': [...io, 'zod', 'node:crypto', 'src/clinical/negation.ts'],
      'src/clinical/negation.ts': [],
      'src/api/app.ts': ['hono', 'pg', ENV_ACCESS],
    });
    expect(keys(graph)).toEqual(io.map((s) => `domain-does-io: src/clinical/structure.ts -> ${s}`).sort());
  });

  it('fails on a repository importing a domain module', () => {
    const graph = graphOf({ 'src/repositories/coding.ts': ['src/coding/review.ts', 'src/db/database.ts'], 'src/coding/review.ts': [], 'src/db/database.ts': [] });
    expect(keys(graph)).toEqual(['repository-imports-domain: src/repositories/coding.ts -> src/coding/review.ts']);
  });

  it('fails on any import cycle, written from its least file, and on a file importing itself', () => {
    const graph = graphOf({
      'src/icd10/export.ts': ['src/repositories/coding.ts'],
      'src/repositories/coding.ts': ['src/x/b.ts'],
      'src/x/b.ts': ['src/icd10/export.ts', 'src/x/c.ts'],
      'src/x/c.ts': [],
      'src/x/self.ts': ['src/x/self.ts'],
    });
    expect(keys(graph)).toEqual([
      'cycle: src/icd10/export.ts -> src/repositories/coding.ts -> src/x/b.ts -> src/icd10/export.ts',
      'cycle: src/x/self.ts -> src/x/self.ts',
    ]);
    expect(findCycles(graphOf({ 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'c.ts': [] }))).toEqual([]);
  });

  it('passes a tree that keeps the rule', () => {
    const graph = graphOf({
      'src/api/routes/notes.ts': ['src/notes/service.ts', 'hono'],
      'workers/note-pipeline.ts': ['src/notes/service.ts', 'bullmq'],
      'src/notes/service.ts': ['src/notes/structure.ts', 'src/repositories/notes.ts'],
      'src/notes/structure.ts': ['zod'],
      'src/repositories/notes.ts': ['pg'],
    });
    expect(keys(graph)).toEqual([]);
  });
});

describe('scanImportGraph', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'dependency-rule-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reads static, type-only, multi-line, re-export and dynamic imports and environment reads, and skips tests and comments', () => {
    mkdirSync(path.join(root, 'src', 'a'), { recursive: true });
    const write = (file: string, text: string) => writeFileSync(path.join(root, file), text);
    write('src/a/b.ts', 'export const b = 1;\n');
    write('src/a/index.ts', "export { b } from './b.ts';\n");
    write(
      'src/a/main.ts',
      [
        "import type { B } from './b.ts';",
        'import {',
        '  x,',
        '  y,',
        "} from 'pg';",
        "import './index.js';",
        "// import { gone } from 'ioredis';",
        "/* import { also } from 'bullmq'; */",
        "const lazy = await import('./b.ts');",
        'const url = process.env.DATABASE_URL;',
      ].join('\n'),
    );
    write('src/a/main.test.ts', "import { main } from './main.ts';\n");
    const graph = scanImportGraph(root, ['src']);
    expect([...graph.keys()].sort()).toEqual(['src/a/b.ts', 'src/a/index.ts', 'src/a/main.ts']);
    expect(graph.get('src/a/index.ts')).toEqual(['src/a/b.ts']);
    expect(graph.get('src/a/main.ts')).toEqual(['src/a/b.ts', 'pg', 'src/a/index.ts', 'src/a/b.ts', ENV_ACCESS]);
  });
});

describe('the dependency rule on the real tree', () => {
  const root = path.resolve(import.meta.dirname, '..', '..');
  const found = checkDependencyRule(scanImportGraph(root, ['src', 'workers'])).map((v) => v.key);
  const known = new Set(KNOWN_VIOLATIONS.map((v) => v.key));

  it('has no violation beyond the known ones (fix it, or argue for it in known-violations.ts)', () => {
    expect(found.filter((key) => !known.has(key))).toEqual([]);
  });

  it('lists no known violation that has been fixed (delete the entry: the list only shrinks)', () => {
    expect([...known].filter((key) => !found.includes(key))).toEqual([]);
  });

  it('gives every known violation a reason, once', () => {
    expect(KNOWN_VIOLATIONS.every((v) => v.reason.trim().length > 0)).toBe(true);
    expect(known.size).toBe(KNOWN_VIOLATIONS.length);
  });
});
