/**
 * The house's dependency rule as a pure check over an import graph (file → what it imports), and a scanner that
 * builds that graph from the source tree. The rule (src/ARCHITECTURE.md):
 * - a door (src/api/, src/cli/, workers/) never imports another door;
 * - a domain module never does I/O: no file system, database, queue, Redis or HTTP driver, no `process.env`;
 * - repositories do not import domain modules (the arrows run from domain and services to repositories);
 * - no import cycle, type-only imports included.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Project-relative file path (forward slashes) → its imports: project files, package specifiers, `process.env`. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

export type RuleName = 'door-imports-door' | 'domain-does-io' | 'repository-imports-domain' | 'cycle';

export interface Violation {
  rule: RuleName;
  /** Stable text used by the allowlist: `rule: from -> to`, or `cycle: a -> b -> … -> a` from its least file. */
  key: string;
}

/** A pseudo-import the scanner records when a file reads the environment. */
export const ENV_ACCESS = 'process.env';

const DOORS = ['src/api/', 'src/cli/', 'workers/'];
const DOMAIN = ['src/clinical/', 'src/icd10/', 'src/history/', 'src/imaging/', 'src/notes/', 'src/coding/', 'src/encounters/', 'src/search/', 'src/ml/'];
const REPOSITORIES = ['src/repositories/'];
const IO_PACKAGES = ['node:fs', 'node:fs/promises', 'fs', 'fs/promises', 'pg', 'ioredis', 'bullmq', 'hono', '@hono/', '@electric-sql/pglite', ENV_ACCESS];

const inside = (file: string, folders: readonly string[]) => folders.find((f) => file.startsWith(f));
const isIo = (specifier: string) =>
  IO_PACKAGES.some((p) => (p.endsWith('/') ? specifier.startsWith(p) : specifier === p || specifier.startsWith(`${p}/`)));

export function checkDependencyRule(graph: ImportGraph): Violation[] {
  const violations: Violation[] = [];
  for (const [from, imports] of graph) {
    const door = inside(from, DOORS);
    for (const to of new Set(imports)) {
      const target = graph.has(to) ? to : null;
      if (door && target) {
        const otherDoor = inside(target, DOORS);
        if (otherDoor && otherDoor !== door) violations.push({ rule: 'door-imports-door', key: `door-imports-door: ${from} -> ${to}` });
      }
      if (inside(from, DOMAIN) && !target && isIo(to)) violations.push({ rule: 'domain-does-io', key: `domain-does-io: ${from} -> ${to}` });
      if (inside(from, REPOSITORIES) && target && inside(target, DOMAIN)) {
        violations.push({ rule: 'repository-imports-domain', key: `repository-imports-domain: ${from} -> ${to}` });
      }
    }
  }
  for (const cycle of findCycles(graph)) violations.push({ rule: 'cycle', key: `cycle: ${[...cycle, cycle[0]].join(' -> ')}` });
  return violations.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/**
 * One cycle per strongly connected component of more than one file (or a file importing itself), written as a
 * path through the component that starts at its least file name, so the text is stable.
 */
export function findCycles(graph: ImportGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const edges = (file: string) => [...new Set(graph.get(file) ?? [])].filter((to) => graph.has(to));
  const visit = (file: string) => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const to of edges(file)) {
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(file, Math.min(low.get(file)!, index.get(to)!));
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== file);
      if (component.length > 1 || edges(file).includes(file)) components.push(component);
    }
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);

  return components.map((component) => {
    const members = new Set(component);
    const start = [...component].sort()[0]!;
    // Shortest way back to the start inside the component (breadth first, neighbours in name order).
    const previous = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
      const file = queue.shift()!;
      const next = edges(file).filter((to) => members.has(to)).sort();
      if (next.includes(start)) {
        const pathBack = [file];
        while (pathBack[0] !== start) pathBack.unshift(previous.get(pathBack[0]!)!);
        return pathBack;
      }
      for (const to of next) if (!previous.has(to) && to !== start) previous.set(to, file), queue.push(to);
    }
    return [start];
  });
}

const SOURCE = /\.(ts|tsx)$/;
const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Import graph of the non-test TypeScript under `folders` (project-relative), resolved against `root`. */
export function scanImportGraph(root: string, folders: readonly string[]): Map<string, string[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'test-support') walk(relative);
      } else if (SOURCE.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(relative);
    }
  };
  for (const folder of folders) walk(folder);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(path.join(root, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|(?<![:'"`])\/\/.*$/gm, '');
    const imports: string[] = [];
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? match[3]!;
      imports.push(specifier.startsWith('.') ? resolveRelative(root, file, specifier) : specifier);
    }
    if (/\bprocess\.env\b/.test(text)) imports.push(ENV_ACCESS);
    graph.set(file, imports);
  }
  return graph;
}

function resolveRelative(root: string, from: string, specifier: string): string {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const candidates = [target, target.replace(/\.js$/, '.ts'), target.replace(/\.jsx$/, '.tsx'), `${target}.ts`, `${target}/index.ts`];
  return candidates.find((c) => existsSync(path.join(root, c))) ?? target;
}
