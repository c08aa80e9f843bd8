/**
 * The shape of the code, checked from the sources: no import cycle between files, and every import between the
 * top-level parts of src/ runs down the layers below (a part may use only parts of a lower rank). jobs/ and
 * scripts/ sit on top and src/ never imports them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** Rank of each part of src/ (a folder, or a file at its top): imports go from a higher rank to a lower one. */
const RANKS: Record<string, number> = {
  'paths.ts': 0,
  'errors.ts': 0,
  'progress.ts': 0,
  'wasm.ts': 0,
  'config.ts': 1,
  'log.ts': 2,
  matrix: 3,
  svg: 3,
  catalog: 4,
  charts: 4,
  recommend: 5,
  store: 6,
  synthetic: 6,
  insights: 6,
  pipeline: 7,
  posters: 7,
  services: 7,
  operations: 8,
  web: 9,
  'app.ts': 10,
  bootstrap: 11,
  'server.ts': 12,
};

interface Edge {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports and re-exports (type-only ones too: they shape the code as much as the others). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)'/gms)].map((m) => m[1]);
  specifiers.push(...[...text.matchAll(/\bimport\(\s*'(\.[^']+)'\s*\)/g)].map((m) => m[1]));
  return specifiers.map((spec) => relative(root, resolve(dirname(file), spec.replace(/\.js$/, '.ts'))));
}

function edgesOf(folders: string[]): Edge[] {
  return folders.flatMap((folder) =>
    sourceFiles(join(root, folder)).flatMap((file) => importsOf(file).map((to) => ({ from: relative(root, file), to }))),
  );
}

/** The part of src/ a path belongs to: its first segment below src/. */
function partOf(path: string): string {
  return path.split('/')[1];
}

/** Files in an import cycle, each cycle as a list (Tarjan's strongly connected components of size > 1). */
function cycles(edges: Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const visit = (node: string): void => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const to of next.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node)!, index.get(to)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of next.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('imports', () => {
  const srcEdges = edgesOf(['src']);
  const allEdges = edgesOf(['src', 'jobs', 'scripts']);

  it('finds a cycle when there is one', () => {
    const edges = [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }, { from: 'c', to: 'a' }, { from: 'c', to: 'd' }];
    assert.deepEqual(cycles(edges), [['a', 'b', 'c']]);
  });

  it('finds the imports it checks', () => {
    assert.ok(srcEdges.length > 300, `only ${srcEdges.length} imports found in src/: the pattern no longer matches`);
  });

  it('has no import cycle between files (src, jobs, scripts)', () => {
    assert.deepEqual(cycles(allEdges), []);
  });

  it('names a rank for every part of src/', () => {
    const parts = readdirSync(join(root, 'src')).filter((name) => name.endsWith('.ts') || !name.includes('.'));
    assert.deepEqual(parts.filter((part) => !(part in RANKS)), []);
  });

  it('runs every import between parts of src/ down the layers', () => {
    const upward = srcEdges
      .filter(({ from, to }) => partOf(from) !== partOf(to))
      .filter(({ from, to }) => !(RANKS[partOf(to)] < RANKS[partOf(from)]))
      .map(({ from, to }) => `${from} -> ${to}`);
    assert.deepEqual(upward, []);
  });

  it('never imports jobs/, scripts/ or test/ from src/', () => {
    const outward = srcEdges.filter(({ to }) => !to.startsWith('src/')).map(({ from, to }) => `${from} -> ${to}`);
    assert.deepEqual(outward, []);
  });
});
