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

/**
 * The movie card compiled once and called as movieCard({...}) by movie-grid: an EJS include per card copies every
 * page local and looks the file up on disk, which was a third of a 48-card page's cost under load.
 */
export function compileMovieCard(): (data: object) => string {
  return ejs.compile(readFileSync(movieCardFile, 'utf8'), { filename: movieCardFile });
}

type Render = (err: Error | null, html?: string) => void;

export function useViews(app: Express): void {
  app.engine('ejs', (file: string, options: object, done: Render) => {
    ejs.renderFile(file, options, (err, body) => {
      if (err) return done(err);
      if ((options as { layout?: unknown }).layout === false) return done(null, body);
      ejs.renderFile(layoutFile, { ...options, body }, (layoutErr, html) => (layoutErr ? done(layoutErr) : done(null, html)));
    });
  });
  app.locals.movieCard = compileMovieCard();
  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
}
