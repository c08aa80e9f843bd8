/** The model's factors hold NaN: the right size, the wrong numbers. */
import { join } from 'node:path';
import { readFile, runThenDamage, writeFile } from './damage.js';

await runThenDamage(async (dir) => {
  const path = join(dir, 'model', 'item_factors.f32');
  const bytes = await readFile(path);
  bytes.writeFloatLE(Number.NaN, 40);
  await writeFile(path, bytes);
});
