/** Good recommendations, but the model's factors file is cut short (a corrupt model artifact). */
import { join } from 'node:path';
import { runThenDamage, truncate } from './damage.js';

await runThenDamage(async (dir) => truncate(join(dir, 'model', 'item_factors.f32'), 1000));
