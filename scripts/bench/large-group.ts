import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PRESETS, type SyntheticShape } from '../../src/synthetic/shapes.js';
import { syntheticFolder } from './datasets.js';
import type { LargeChildReport } from './large-child.js';
import type { BenchGroup, RowSpec } from './rows.js';

/** --quick runs these rows on 1/25 of ml-25m with the targets scaled by the number of ratings. */
const QUICK_SHAPE: SyntheticShape = { users: 6_502, movies: 10_000, ratings: 1_000_004 };
const TRAIN_ITERATIONS = 3;
const CHILD_TIMEOUT_MS = 30 * 60 * 1000;

/** ml-25m-shaped synthetic data: load, training per iteration and peak memory (in a child process), best movies. */
export function largeGroup(quick: boolean, seed: number): BenchGroup {
  const shape = quick ? QUICK_SHAPE : PRESETS['ml-25m'];
  const scale = shape.ratings / PRESETS['ml-25m'].ratings;
  const data = quick ? '1M synthetic (quick: target × 1/25)' : '25M synthetic (ml-25m shape)';
  const specs: RowSpec[] = [
    { id: 'large.load', figure: `load ratings.csv, ${data}`, limit: 25 * scale, unit: 's' },
    { id: 'large.iteration', figure: `train rank 64, time per iteration, ${data}`, limit: 15 * scale, unit: 's' },
    { id: 'large.memory', figure: `train rank 64, peak RSS incl. load, ${quick ? '1M synthetic (quick)' : data}`, limit: 4, unit: 'GB' },
    { id: 'large.best', figure: `best movies (load excluded), ${data}`, limit: 5 * scale, unit: 's' },
  ];
  return {
    name: quick ? '1M-rating synthetic (quick)' : 'ml-25m-shaped synthetic',
    specs,
    async run(record) {
      const dir = syntheticFolder(quick ? 'quick-1m' : 'ml-25m', shape, seed);
      const report = await runChild([dir, '64', String(TRAIN_ITERATIONS)]);
      const perIteration = report.iterationSeconds.reduce((s, v) => s + v, 0) / report.iterationSeconds.length;
      record('large.load', report.loadSeconds, `${report.ratings.toLocaleString('en')} ratings, ${report.users} users, ${report.items} movies`);
      record('large.iteration', perIteration, `mean of ${report.iterationSeconds.length} (${report.iterationSeconds.map((s) => s.toFixed(1)).join(', ')}), ${report.threads} threads, ${report.solver}, ${report.kernels} kernels`);
      record('large.memory', report.peakRssBytes / 1e9, 'maxRSS of the child process, workers included');
      record('large.best', report.bestMoviesSeconds);
    },
  };
}

/** Runs large-child.js in its own process, so its peak RSS is the training's alone. */
function runChild(args: string[]): Promise<LargeChildReport> {
  const script = fileURLToPath(new URL('./large-child.js', import.meta.url));
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'inherit'], timeout: CHILD_TIMEOUT_MS });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) return reject(new Error(`large-child exited with ${signal ?? `code ${code}`}`));
      try {
        resolvePromise(JSON.parse(out.trim().split('\n').pop() ?? '') as LargeChildReport);
      } catch {
        reject(new Error(`large-child printed no report: ${out.slice(0, 200)}`));
      }
    });
  });
}
