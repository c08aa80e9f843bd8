/**
 * npm run bench [-- --quick] [--seed N] [--only GROUPS]: measures issue 2's targets and issue 3's web targets and
 * prints one table (figure, target, measured, PASS/FAIL); also writes artifacts/bench.json (with --only:
 * artifacts/bench-<groups>.json, so a partial run never overwrites the full report). Exit code 0 even when a target
 * fails; 1 only when a row could not be measured (the bench itself broke).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from '../src/paths.js';
import { largeGroup } from './bench/large-group.js';
import { formatTable, runGroup, type BenchGroup, type RowResult } from './bench/rows.js';
import { searchGroup } from './bench/search-group.js';
import { smallGroup } from './bench/small-group.js';
import { webGroup } from './bench/web-group.js';
import { wideModelGroup } from './bench/wide-model-group.js';
import type { BenchFile } from './report/schemas.js';

/** The groups by the name --only takes, in the order they run. */
const GROUP_NAMES = ['search', 'small', 'wide', 'large', 'web'] as const;
type GroupName = (typeof GROUP_NAMES)[number];

const USAGE = `usage: npm run bench -- [--quick] [--seed N] [--skip-large] [--only GROUPS]
  --quick       the ml-25m rows run on a 1M-rating synthetic set with targets scaled by 1/25; fewer queries
                (and fewer requests in the web group)
  --skip-large  leave the ml-25m rows out (SKIP)
  --only GROUPS run only these groups, comma-separated: ${GROUP_NAMES.join(', ')}
                (web: the built server as a child process on loopback; needs npm run build, which npm run bench does)
  --seed N      seed of the synthetic data and the query sets (default 1)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      'skip-large': { type: 'boolean' },
      only: { type: 'string' },
      seed: { type: 'string', default: '1' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`--seed must be a whole number, got "${values.seed}"`);
  const quick = values.quick === true;
  const queries = quick ? 300 : 2_000;
  const only = parseOnly(values.only);
  const large = largeGroup(quick, seed);
  const all: Record<GroupName, BenchGroup> = {
    search: searchGroup(queries, seed),
    small: smallGroup(queries, seed),
    wide: wideModelGroup(queries, seed),
    large: values['skip-large'] ? { ...large, skip: '--skip-large' } : large,
    web: webGroup(quick, seed),
  };
  const groups = GROUP_NAMES.filter((name) => !only || only.includes(name)).map((name) => all[name]);
  const started = new Date();
  const loadAtStart = loadavg()[0];
  // Other work on this 2-core machine inflates every timing: say so next to the numbers.
  if (loadAtStart > availableParallelism() / 2) process.stderr.write(`bench: load average ${loadAtStart.toFixed(1)} on ${availableParallelism()} cores: timings will be inflated\n`);
  const rows: RowResult[] = [];
  for (const group of groups) {
    process.stderr.write(`bench: ${group.name}${group.skip ? ' (skipped)' : ''}\n`);
    rows.push(...(await runGroup(group)));
  }
  process.stdout.write(`${formatTable(rows)}\n`);
  process.stdout.write(`(${quick ? 'quick mode; ' : ''}${availableParallelism()} cores, load average ${loadAtStart.toFixed(1)} at start, ${loadavg()[0].toFixed(1)} at end)\n`);
  const report: BenchFile = {
    startedAt: started.toISOString(),
    seconds: (Date.now() - started.getTime()) / 1000,
    quick,
    seed,
    only: only ?? undefined,
    machine: {
      node: process.version,
      cpus: availableParallelism(),
      cpu: cpus()[0]?.model ?? 'unknown',
      memoryBytes: totalmem(),
      loadAverage: { start: loadAtStart, end: loadavg()[0] },
    },
    rows: rows.map(({ id, figure, target, limit, unit, measured, status, note }) => ({ id, figure, target, limit, unit, measured, status, note })),
  };
  const dir = join(repoRoot, 'artifacts');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, only ? `bench-${only.join('-')}.json` : 'bench.json');
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  const broken = rows.filter((r) => r.status === 'ERROR').length;
  process.stderr.write(`bench: ${rows.filter((r) => r.status === 'PASS').length} pass, ${rows.filter((r) => r.status === 'FAIL').length} fail, ${broken} error; ${file}\n`);
  return broken > 0 ? 1 : 0;
}

/** --only's groups, in run order; null when --only is absent. */
function parseOnly(text: string | undefined): GroupName[] | null {
  if (text === undefined) return null;
  const names = text.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !(GROUP_NAMES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) throw new Error(`--only: unknown group "${unknown.join(', ') || text}"; groups: ${GROUP_NAMES.join(', ')}`);
  return GROUP_NAMES.filter((name) => names.includes(name));
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`bench: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  },
);
