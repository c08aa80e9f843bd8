/** Says it is done but never wrote _SUCCESS (outputs not final). */
import { join } from 'node:path';
import { rm, runThenDamage } from './damage.js';

await runThenDamage(async (dir) => rm(join(dir, '_SUCCESS')));
