/** Recommendations for a user the run never asked for (another user's id slipped in). */
import { lines, runThenDamage, writeLines } from './damage.js';

await runThenDamage(async (dir) => {
  const all = await lines(dir);
  const row = JSON.parse(all[0]) as { user: string };
  await writeLines(dir, [...all, JSON.stringify({ ...row, user: 'someone-else-entirely' })]);
});
