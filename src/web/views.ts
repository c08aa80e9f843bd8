/** EJS views with one layout: a page renders into `body`, then views/layout.ejs wraps it (unless `layout: false`). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ejs from 'ejs';
import type { Express } from 'express';
import { repoRoot } from '../paths.js';

export const viewsDir = join(repoRoot, 'views');
export const staticDir = join(viewsDir, 'static');
const layoutFile = join(viewsDir, 'layout.ejs');
const movieCardFile = join(viewsDir, 'partials', 'movie-card.ejs');
const pickTileFile = join(viewsDir, 'partials', 'pick-tile.ejs');

/**
 * A partial compiled once and called as a function (movieCard({...}) by movie-grid, pickTile({...}) by pick-tiles):
 * an EJS include per card copies every page local, which was a third of a 48-card page's cost under load.
 */
function compilePartial(file: string): (data: object) => string {
  return ejs.compile(readFileSync(file, 'utf8'), { filename: file, root: viewsDir });
}

type Render = (err: Error | null, html?: string) => void;

export function useViews(app: Express): void {
  app.engine('ejs', (file: string, options: object, done: Render) => {
    // Includes name their file from the views root ('/partials/…'): a relative include is looked up on disk on every call.
    const ejsOptions = { root: viewsDir, cache: app.enabled('view cache') };
    ejs.renderFile(file, options, ejsOptions, (err, body) => {
      if (err) return done(err);
      if ((options as { layout?: unknown }).layout === false) return done(null, body);
      ejs.renderFile(layoutFile, { ...options, body }, ejsOptions, (layoutErr, html) => (layoutErr ? done(layoutErr) : done(null, html)));
    });
  });
  app.locals.movieCard = compilePartial(movieCardFile);
  app.locals.pickTile = compilePartial(pickTileFile);
  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
}
