/**
 * npm run bench [-- --quick] [--seed N]: measures issue 2's targets and prints one table
 * (figure, target, measured, PASS/FAIL); also writes artifacts/bench.json. Exit code 0 even when
 * a target fails; 1 only when a row could not be measured (the bench itself broke).
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
import { wideModelGroup } from './bench/wide-model-group.js';

const USAGE = `usage: npm run bench -- [--quick] [--seed N] [--skip-large]
  --quick       the ml-25m rows run on a 1M-rating synthetic set with targets scaled by 1/25; fewer queries
  --skip-large  leave the ml-25m rows out (SKIP)
  --seed N      seed of the synthetic data and the query sets (default 1)`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean' }, 'skip-large': { type: 'boolean' }, seed: { type: 'string', default: '1' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`--seed must be a whole number, got "${values.seed}"`);
  const quick = values.quick === true;
  const queries = quick ? 300 : 2_000;
  const large = largeGroup(quick, seed);
  const groups: BenchGroup[] = [
    searchGroup(queries, seed),
    smallGroup(queries, seed),
    wideModelGroup(queries, seed),
    values['skip-large'] ? { ...large, skip: '--skip-large' } : large,
  ];
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
  const report = {
    startedAt: started.toISOString(),
    seconds: (Date.now() - started.getTime()) / 1000,
    quick,
    seed,
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
  writeFileSync(join(dir, 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  const broken = rows.filter((r) => r.status === 'ERROR').length;
  process.stderr.write(`bench: ${rows.filter((r) => r.status === 'PASS').length} pass, ${rows.filter((r) => r.status === 'FAIL').length} fail, ${broken} error; ${join(dir, 'bench.json')}\n`);
  return broken > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`bench: ${error.message}\n${USAGE}\n`);
    process.exit(2);
  },
);
