/** The app's stylesheet, which the report inlines (a report is one file, so it cannot link to it). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../src/paths.js';

export const APP_STYLESHEET = join(repoRoot, 'views', 'static', 'app.css');

export function readAppStylesheet(): string {
  return readFileSync(APP_STYLESHEET, 'utf8');
}
