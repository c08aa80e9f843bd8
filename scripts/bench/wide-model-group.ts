import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModelAt, writeModelAt } from '../../src/pipeline/model-folder.js';
import { prepareModel, recommendForPicks } from '../../src/recommend/foldin.js';
import { createRandom } from '../../src/recommend/random.js';
import { latenciesMs, percentile, timeRuns } from './measure.js';
import { pickSets, randomModel } from './model.js';
import type { BenchGroup } from './rows.js';

const ITEMS = 60_000;
const RANK = 64;

/** A 60k-movie rank-64 model (ml-25m's catalog size): artifact load and fold-in latency. */
export function wideModelGroup(queries: number, seed: number): BenchGroup {
  return {
    name: '60k-movie model',
    specs: [
      { id: 'wide.load', figure: 'model artifact load, 60k movies × rank 64', limit: 1, unit: 's' },
      { id: 'wide.foldin', figure: 'fold-in + top-12 with reasons p99, 60k × 64 model', limit: 10, unit: 'ms' },
    ],
    async run(record) {
      const rng = createRandom(seed);
      const dir = mkdtempSync(join(tmpdir(), 'moviehunter-bench-model-'));
      try {
        await writeModelAt(dir, randomModel(ITEMS, RANK, rng));
        const loads = await timeRuns(3, () => readModelAt(dir));
        record('wide.load', Math.max(...loads.seconds), 'slowest of 3 loads, validation included');
        const prepared = prepareModel(loads.result);
        const picks = pickSets(loads.result.itemIds, queries, rng);
        const times = latenciesMs(picks, (p) => recommendForPicks(prepared, p, 12), 20);
        record('wide.foldin', percentile(times, 99), `p50 ${percentile(times, 50).toFixed(2)} ms over ${picks.length} random pick sets of 5–10`);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
