/** Well-formed output whose first user is recommended one of their own picks (wrong recommendations). */
import { readFile, runThenDamage, writeLines, lines } from './damage.js';
import { join } from 'node:path';

await runThenDamage(async (dir) => {
  const [first, ...rest] = await lines(dir);
  const picks = (await readFile(join(dir, 'picks.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as { user: string; movies: number[] });
  const row = JSON.parse(first) as { user: string; items: { movie: number; score: number }[] };
  const picked = picks.find((p) => p.user === row.user)!.movies[0];
  row.items[row.items.length - 1] = { movie: picked, score: row.items[row.items.length - 1].score };
  await writeLines(dir, [JSON.stringify(row), ...rest]);
});
