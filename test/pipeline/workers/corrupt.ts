/** A worker that claims success over a valid model but a broken recommendations line. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { writeModelAt } from '../../../src/pipeline/model-folder.js';

const { dir } = workerData as { dir: string };
const rank = 8;
const params = { rank, iterations: 3, regularization: 0.5, alpha: 2, ratingThreshold: null, scaleRegularization: true, seed: 42 };
await writeModelAt(join(dir, 'model'), {
  rank,
  itemIds: Int32Array.from({ length: 100 }, (_, i) => i + 1),
  itemFactors: new Float32Array(100 * rank).fill(0.1),
  params,
  engine: 'corrupt',
  trainedAt: new Date().toISOString(),
});
await writeFile(join(dir, 'recommendations.jsonl'), '{"user": "x", "items": [\n');
await writeFile(join(dir, 'metrics.json'), '{}');
await writeFile(join(dir, '_SUCCESS'), '');
parentPort?.postMessage({ type: 'done' });
