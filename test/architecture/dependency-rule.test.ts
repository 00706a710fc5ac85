import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDependencyRule, ENV_ACCESS, findCycles, roleOf, scanImportGraph, type ImportGraph } from './dependency-rule.ts';
import { KNOWN_VIOLATIONS } from './known-violations.ts';

const keys = (graph: ImportGraph) => checkDependencyRule(graph).map((v) => v.key);
const graphOf = (entries: Record<string, string[]>): ImportGraph => new Map(Object.entries(entries));

describe('checkDependencyRule', () => {
  it('fails on a door importing another door, in every direction, and allows imports within a door', () => {
    const graph = graphOf({
      'src/api/routes/notes.ts': ['workers/note-pipeline.ts', 'src/api/problems.ts', 'src/notes/pipeline.ts'],
      'src/api/problems.ts': [],
      'src/cli/commands/serve.ts': ['src/api/app.ts'],
      'src/api/app.ts': [],
      'workers/note-pipeline.ts': ['src/cli/program.ts'],
      'src/cli/program.ts': [],
      'src/notes/pipeline.ts': [],
    });
    expect(keys(graph)).toEqual([
      'door-imports-door: src/api/routes/notes.ts -> workers/note-pipeline.ts',
      'door-imports-door: src/cli/commands/serve.ts -> src/api/app.ts',
      'door-imports-door: workers/note-pipeline.ts -> src/cli/program.ts',
    ]);
  });

  it('lets a composition root in src/boot/ put doors together, and only a door start it', () => {
    const graph = graphOf({
      'src/boot/serve.ts': ['src/api/app.ts', 'workers/index.ts'],
      'src/api/app.ts': [],
      'workers/index.ts': [],
      'src/cli/commands/serve.ts': ['src/boot/serve.ts'],
      'src/notes/service.ts': ['src/boot/serve.ts'],
    });
    expect(keys(graph)).toEqual(['door-imports-door: src/notes/service.ts -> src/boot/serve.ts']);
  });

  it('fails on a door reaching past the service to a repository', () => {
    const graph = graphOf({
      'src/api/routes/notes.ts': ['src/notes/service.ts', 'src/notes/repository.ts', 'src/notes/types.ts'],
      'workers/reconciler.ts': ['src/imaging/image-repository.ts'],
      'src/notes/service.ts': ['src/notes/repository.ts'],
      'src/notes/repository.ts': ['src/notes/types.ts'],
      'src/notes/types.ts': [],
      'src/imaging/image-repository.ts': [],
    });
    expect(keys(graph)).toEqual([
      'door-imports-repository: src/api/routes/notes.ts -> src/notes/repository.ts',
      'door-imports-repository: workers/reconciler.ts -> src/imaging/image-repository.ts',
    ]);
  });

  it('fails on a domain module doing I/O (file system, database, Redis, queue, HTTP, environment), not on a door doing it', () => {
    const io = ['node:fs', 'node:fs/promises', 'pg', 'ioredis', 'bullmq', 'hono', 'hono/request-id', '@hono/zod-openapi', '@electric-sql/pglite', ENV_ACCESS];
    const graph = graphOf({
      'src/notes/structuring/structure.ts': [...io, 'zod', 'node:crypto', 'src/notes/structuring/negation.ts'],
      'src/notes/structuring/negation.ts': [],
      'src/api/app.ts': ['hono', 'pg', ENV_ACCESS],
    });
    expect(keys(graph)).toEqual(io.map((s) => `domain-does-io: src/notes/structuring/structure.ts -> ${s}`).sort());
  });

  it('fails on a domain module reaching the ports, a repository, a service, jobs or a file adapter, and lets it use shared types', () => {
    const graph = graphOf({
      'src/history/summary.ts': [
        'src/db/database.ts',
        'src/runtime.ts',
        'src/history/passages-repository.ts',
        'src/history/search-service.ts',
        'src/history/jobs.ts',
        'src/notes/structuring/lexicon-files.ts',
        'src/history/types.ts',
        'src/notes/structuring/schema.ts',
      ],
      'src/db/database.ts': [],
      'src/runtime.ts': [],
      'src/history/passages-repository.ts': ['src/history/types.ts'],
      'src/history/search-service.ts': ['src/history/passages-repository.ts', 'src/db/database.ts'],
      'src/history/jobs.ts': ['src/runtime.ts'],
      'src/notes/structuring/lexicon-files.ts': ['node:fs'],
      'src/history/types.ts': [],
      'src/notes/structuring/schema.ts': ['zod'],
    });
    expect(keys(graph)).toEqual(
      [
        'src/db/database.ts',
        'src/history/jobs.ts',
        'src/history/passages-repository.ts',
        'src/history/search-service.ts',
        'src/notes/structuring/lexicon-files.ts',
        'src/runtime.ts',
      ].map((to) => `domain-does-io: src/history/summary.ts -> ${to}`),
    );
  });

  it('fails on a repository importing a domain module, and lets it import its feature\'s types', () => {
    const graph = graphOf({
      'src/coding/repository.ts': ['src/coding/review.ts', 'src/coding/types.ts', 'src/db/database.ts'],
      'src/coding/review.ts': ['src/coding/types.ts'],
      'src/coding/types.ts': [],
      'src/db/database.ts': [],
    });
    expect(keys(graph)).toEqual(['repository-imports-domain: src/coding/repository.ts -> src/coding/review.ts']);
  });

  it('tells a file\'s role from its folder and name', () => {
    expect(roleOf('src/api/routes/notes.ts')).toBe('door');
    expect(roleOf('workers/index.ts')).toBe('door');
    expect(roleOf('src/boot/serve.ts')).toBe('boot');
    expect(roleOf('src/notes/service.ts')).toBe('service');
    expect(roleOf('src/history/search-service.ts')).toBe('service');
    expect(roleOf('src/notes/jobs.ts')).toBe('jobs');
    expect(roleOf('src/notes/repository.ts')).toBe('repository');
    expect(roleOf('src/history/passages-repository.ts')).toBe('repository');
    expect(roleOf('src/imaging/image-store.ts')).toBe('adapter');
    expect(roleOf('src/notes/structuring/lexicon-files.ts')).toBe('adapter');
    expect(roleOf('src/coding/types.ts')).toBe('types');
    expect(roleOf('src/coding/icd10/code-set.ts')).toBe('domain');
    expect(roleOf('src/text/tokens.ts')).toBe('domain');
    expect(roleOf('src/db/database.ts')).toBe('infrastructure');
  });

  it('fails on any import cycle, written from its least file, and on a file importing itself', () => {
    const graph = graphOf({
      'src/coding/export.ts': ['src/coding/repository.ts'],
      'src/coding/repository.ts': ['src/x/b.ts'],
      'src/x/b.ts': ['src/coding/export.ts', 'src/x/c.ts'],
      'src/x/c.ts': [],
      'src/x/self.ts': ['src/x/self.ts'],
    });
    expect(keys(graph).filter((k) => k.startsWith('cycle'))).toEqual([
      'cycle: src/coding/export.ts -> src/coding/repository.ts -> src/x/b.ts -> src/coding/export.ts',
      'cycle: src/x/self.ts -> src/x/self.ts',
    ]);
    expect(findCycles(graphOf({ 'a.ts': ['b.ts'], 'b.ts': ['c.ts'], 'c.ts': [] }))).toEqual([]);
  });

  it('passes a tree that keeps the rule', () => {
    const graph = graphOf({
      'src/api/routes/notes.ts': ['src/notes/service.ts', 'src/notes/types.ts', 'hono'],
      'workers/note-pipeline.ts': ['src/notes/service.ts', 'bullmq'],
      'src/cli/commands/serve.ts': ['src/boot/serve.ts'],
      'src/boot/serve.ts': ['src/api/routes/notes.ts', 'workers/note-pipeline.ts'],
      'src/notes/service.ts': ['src/notes/structure.ts', 'src/notes/repository.ts', 'src/notes/jobs.ts', 'src/runtime.ts'],
      'src/notes/jobs.ts': ['src/runtime.ts'],
      'src/notes/structure.ts': ['zod', 'src/notes/types.ts'],
      'src/notes/repository.ts': ['pg', 'src/notes/types.ts'],
      'src/notes/types.ts': [],
      'src/runtime.ts': ['pg'],
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
