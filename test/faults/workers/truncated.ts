/** The recommendations file ends in the middle of a line, as after a crash or a full disk. */
import { readFile, recommendationsOf, runThenDamage, writeFile } from './damage.js';

await runThenDamage(async (dir) => {
  const text = await readFile(recommendationsOf(dir), 'utf8');
  await writeFile(recommendationsOf(dir), text.slice(0, Math.floor(text.length * 0.6)));
});
