/** EJS views with one layout: a page renders into `body`, then views/layout.ejs wraps it (unless `layout: false`). */
import { join } from 'node:path';
import ejs from 'ejs';
import type { Express } from 'express';
import { repoRoot } from '../paths.js';

export const viewsDir = join(repoRoot, 'views');
export const staticDir = join(viewsDir, 'static');
const layoutFile = join(viewsDir, 'layout.ejs');

type Render = (err: Error | null, html?: string) => void;

export function useViews(app: Express): void {
  app.engine('ejs', (file: string, options: object, done: Render) => {
    ejs.renderFile(file, options, (err, body) => {
      if (err) return done(err);
      if ((options as { layout?: unknown }).layout === false) return done(null, body);
      ejs.renderFile(layoutFile, { ...options, body }, (layoutErr, html) => (layoutErr ? done(layoutErr) : done(null, html)));
    });
  });
  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
}
