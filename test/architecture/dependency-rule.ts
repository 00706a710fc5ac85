/**
 * The house's dependency rule as a pure check over an import graph (file → what it imports), and a scanner that
 * builds that graph from the source tree. The rule (src/ARCHITECTURE.md):
 * - a door (src/api/, src/cli/, workers/) never imports another door; only the composition roots in src/boot/
 *   put doors together, and nothing but a door imports a composition root;
 * - a door calls a feature's service, jobs or domain, never its repositories;
 * - a domain module never does I/O: no file system, database, queue, Redis or HTTP driver, no `process.env`, and
 *   it does not reach the ports (database, queue, runtime), repositories, services, jobs or file adapters either;
 * - repositories do not import domain modules (the arrows run from domain and services to repositories; the types
 *   both share live in the feature's `types.ts`);
 * - no import cycle, type-only imports included.
 *
 * A file's role comes from where it is and what it is called: inside a feature folder, `repository.ts` and
 * `*-repository.ts` are repositories, `service.ts` and `*-service.ts` services, `jobs.ts` job definitions,
 * `*-files.ts` and `*-store.ts` file adapters, `types.ts` shared types, and everything else is domain.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Project-relative file path (forward slashes) → its imports: project files, package specifiers, `process.env`. */
export type ImportGraph = ReadonlyMap<string, readonly string[]>;

export type RuleName = 'door-imports-door' | 'door-imports-repository' | 'domain-does-io' | 'repository-imports-domain' | 'cycle';

export interface Violation {
  rule: RuleName;
  /** Stable text used by the allowlist: `rule: from -> to`, or `cycle: a -> b -> … -> a` from its least file. */
  key: string;
}

/** A pseudo-import the scanner records when a file reads the environment. */
export const ENV_ACCESS = 'process.env';

export type Role = 'door' | 'boot' | 'service' | 'jobs' | 'repository' | 'adapter' | 'types' | 'domain' | 'infrastructure';

const DOORS = ['src/api/', 'src/cli/', 'workers/'];
const BOOT = ['src/boot/'];
/** One folder per feature, from its service down to its domain. */
export const FEATURES = ['src/notes/', 'src/coding/', 'src/history/', 'src/imaging/', 'src/patients/', 'src/access/', 'src/encounters/'];
/** Pure libraries the features share. */
const SHARED_DOMAIN = ['src/text/', 'src/search/', 'src/ml/'];
/** Ports and process plumbing a domain module must not reach. */
const PORTS = ['src/db/', 'src/queue/', 'src/compute/', 'src/runtime.ts', 'src/config/'];
const IO_PACKAGES = ['node:fs', 'node:fs/promises', 'fs', 'fs/promises', 'pg', 'ioredis', 'bullmq', 'hono', '@hono/', '@electric-sql/pglite', ENV_ACCESS];

const inside = (file: string, folders: readonly string[]) => folders.find((f) => file.startsWith(f));
const isIo = (specifier: string) =>
  IO_PACKAGES.some((p) => (p.endsWith('/') ? specifier.startsWith(p) : specifier === p || specifier.startsWith(`${p}/`)));

export function roleOf(file: string): Role {
  if (inside(file, DOORS)) return 'door';
  if (inside(file, BOOT)) return 'boot';
  const feature = inside(file, FEATURES);
  if (!feature && !inside(file, SHARED_DOMAIN)) return 'infrastructure';
  const name = path.posix.basename(file).replace(/\.tsx?$/, '');
  if (name === 'repository' || name.endsWith('-repository')) return 'repository';
  if (name === 'service' || name.endsWith('-service')) return 'service';
  if (name === 'jobs') return 'jobs';
  if (name.endsWith('-files') || name.endsWith('-store')) return 'adapter';
  if (name === 'types') return 'types';
  return 'domain';
}

const OFF_LIMITS_TO_DOMAIN: ReadonlySet<Role> = new Set(['door', 'boot', 'service', 'jobs', 'repository', 'adapter']);

export function checkDependencyRule(graph: ImportGraph): Violation[] {
  const violations: Violation[] = [];
  const add = (rule: RuleName, from: string, to: string) => violations.push({ rule, key: `${rule}: ${from} -> ${to}` });
  for (const [from, imports] of graph) {
    const role = roleOf(from);
    const door = inside(from, DOORS);
    for (const to of new Set(imports)) {
      const target = graph.has(to) ? to : null;
      const targetRole = target ? roleOf(target) : null;
      if (door && target) {
        const otherDoor = inside(target, DOORS);
        if (otherDoor && otherDoor !== door) add('door-imports-door', from, to);
        if (targetRole === 'repository') add('door-imports-repository', from, to);
      }
      if (role !== 'door' && targetRole === 'boot') add('door-imports-door', from, to);
      if (role === 'domain') {
        if (!target && isIo(to)) add('domain-does-io', from, to);
        if (target && (OFF_LIMITS_TO_DOMAIN.has(targetRole!) || inside(target, PORTS))) add('domain-does-io', from, to);
      }
      if (role === 'repository' && targetRole === 'domain') add('repository-imports-domain', from, to);
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
