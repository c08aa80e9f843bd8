/** Writes every output but recommendations for the last user (a run folder cut short). */
import { lines, runThenDamage, writeLines } from './damage.js';

await runThenDamage(async (dir) => writeLines(dir, (await lines(dir)).slice(0, -1)));
