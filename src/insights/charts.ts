/** The insights figures as charts (server-side SVG) with their captions and tables: what the page shows. */
import { barChart } from '../charts/bar-chart.js';
import { columnChart } from '../charts/column-chart.js';
import { formatCount, formatFixed } from '../charts/format.js';
import { CHAR_WIDTH, CHART_WIDTH } from '../charts/frame.js';
import { lineChart } from '../charts/line-chart.js';
import { scatterChart } from '../charts/scatter-chart.js';
import { genreColour } from '../svg/genre-colours.js';
import type { InsightsFigures } from './figures.js';

/** The numbers behind a chart, as a table (the long text alternative). */
export interface DataTable {
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export interface ChartView {
  readonly id: string;
  readonly title: string;
  /** Under the chart: how to read it. */
  readonly caption: string;
  /** Trusted markup: built by src/charts with every text escaped. */
  readonly svg: string;
  readonly table: DataTable;
}

const stars = (rating: number) => `${rating % 1 === 0 ? rating.toFixed(0) : rating.toFixed(1)}`;
const percent = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '–');
const titleYear = (title: string, year: number | null) => (year === null ? title : `${title} (${year})`);

/** A title cut to fit above its bar, keeping the year: "Star Wars: Episode V - The Empire Str… (1980)". */
function barLabel(title: string, year: number | null): string {
  const room = Math.floor((CHART_WIDTH - 28) / CHAR_WIDTH) - (year === null ? 0 : 7);
  return titleYear(title.length <= room ? title : `${title.slice(0, room - 1).trimEnd()}…`, year);
}

export function insightCharts(f: InsightsFigures): ChartView[] {
  return [distribution(f), popularity(f), genres(f), genreDecades(f), mostRated(f)].filter((c): c is ChartView => c !== null);
}

function distribution(f: InsightsFigures): ChartView | null {
  const rows = f.ratingDistribution;
  if (rows.length === 0) return null;
  const top = rows.reduce((a, b) => (b.count > a.count ? b : a));
  const total = f.totals.ratings;
  return {
    id: 'ratings-distribution',
    title: 'How people rate',
    caption: `Every rating in the dataset, by the number of stars given. The average rating is ${formatFixed(f.totals.meanRating)} stars.`,
    svg: columnChart({
      id: 'chart-ratings-distribution',
      title: 'Number of ratings by stars given',
      description: `${stars(top.rating)} stars is the most common rating: ${formatCount(top.count)} of ${formatCount(total)} ratings (${percent(top.count, total)}). The average rating is ${formatFixed(f.totals.meanRating)} stars.`,
      columns: rows.map((r) => ({ label: stars(r.rating), value: r.count })),
      xLabel: 'Stars given',
      yLabel: 'Ratings',
    }),
    table: { head: ['Stars', 'Ratings', 'Share'], rows: rows.map((r) => [stars(r.rating), formatCount(r.count), percent(r.count, total)]) },
  };
}

function popularity(f: InsightsFigures): ChartView | null {
  const p = f.popularity;
  if (p.points.length === 0) return null;
  const sample = p.points.length < p.ratedMovies ? `an even sample of ${formatCount(p.points.length)} of the ${formatCount(p.ratedMovies)} rated movies` : `all ${formatCount(p.ratedMovies)} rated movies`;
  const r = p.correlation;
  const trend = r === null ? 'There is no trend to measure.' : `${Math.abs(r) < 0.1 ? 'There is hardly any trend' : r > 0 ? 'More-rated movies tend to have higher averages' : 'More-rated movies tend to have lower averages'} (correlation ${formatFixed(r)} between the logarithm of the number of ratings and the average).`;
  return {
    id: 'popularity',
    title: 'Popular movies and their ratings',
    caption: `One dot per movie, ${sample}: how many ratings it has (a logarithmic scale) against its average rating. Movies with few ratings scatter widely.`,
    svg: scatterChart({
      id: 'chart-popularity',
      title: 'Number of ratings against average rating, per movie',
      description: `Dots for ${sample}. ${trend}`,
      points: p.points.map((m) => ({ x: m.ratings, y: m.mean })),
      logX: true,
      yDomain: [0, 5],
      xLabel: 'Number of ratings (log scale)',
      yLabel: 'Average rating (stars)',
    }),
    table: {
      head: ['Ratings per movie', 'Movies', 'Their average rating'],
      rows: p.bands.map((b) => [b.label, formatCount(b.movies), b.meanRating === null ? '–' : formatFixed(b.meanRating)]),
    },
  };
}

function genres(f: InsightsFigures): ChartView | null {
  if (f.genres.length === 0) return null;
  const [first] = f.genres;
  return {
    id: 'genres',
    title: 'Ratings per genre',
    caption: 'The number of ratings of movies of each genre. A movie of two genres counts for both.',
    svg: barChart({
      id: 'chart-genres',
      title: 'Number of ratings per genre',
      description: `${first.genre} movies get the most ratings (${formatCount(first.ratings)}), followed by ${f.genres.slice(1, 3).map((g) => g.genre).join(' and ') || 'no other genre'}.`,
      bars: f.genres.map((g) => ({ label: g.genre, value: g.ratings, colour: genreColour(g.genre) })),
      xLabel: 'Ratings',
    }),
    table: { head: ['Genre', 'Ratings', 'Movies', 'Average rating'], rows: f.genres.map((g) => [g.genre, formatCount(g.ratings), formatCount(g.movies), formatFixed(g.mean)]) },
  };
}

function genreDecades(f: InsightsFigures): ChartView | null {
  const { decades, series } = f.genreDecades;
  if (decades.length === 0) return null;
  const labelled = series.map((s) => ({ ...s, known: s.points.filter((p) => p.mean !== null) }));
  const best = labelled.flatMap((s) => s.known.map((p) => ({ genre: s.genre, ...p }))).reduce((a, b) => ((b.mean ?? 0) > (a.mean ?? 0) ? b : a));
  return {
    id: 'genre-decades',
    title: 'Genres over the decades',
    caption: `The average rating of the ${series.length} most-rated genres, by the decade the movies came out (their release year, not when they were rated). A decade with fewer than ${f.genreDecades.minRatings} ratings in a genre is left out.`,
    svg: lineChart({
      id: 'chart-genre-decades',
      title: 'Average rating per genre by release decade',
      description: `Lines for ${series.map((s) => s.genre).join(', ')} from the ${decades[0]}s to the ${decades[decades.length - 1]}s. The highest average is ${best.genre} of the ${best.decade}s at ${formatFixed(best.mean ?? 0)} stars.`,
      series: series.map((s) => ({ name: s.genre, colour: genreColour(s.genre), points: s.points.map((p) => ({ x: p.decade, y: p.mean })) })),
      xTicks: decades.length <= 6 ? decades : decades.filter((d) => d % 20 === 0),
      formatX: (d) => `${d}s`,
      formatY: (v) => v.toFixed(1),
      xLabel: 'Release decade',
      yLabel: 'Average rating (stars)',
    }),
    table: {
      head: ['Decade', ...series.map((s) => s.genre)],
      rows: decades.map((d, i) => [`${d}s`, ...series.map((s) => (s.points[i].mean === null ? '–' : formatFixed(s.points[i].mean)))]),
    },
  };
}

function mostRated(f: InsightsFigures): ChartView | null {
  if (f.mostRated.length === 0) return null;
  const [first] = f.mostRated;
  return {
    id: 'most-rated',
    title: 'The most-rated movies',
    caption: `The ${f.mostRated.length} movies with the most ratings, whatever the ratings were.`,
    svg: barChart({
      id: 'chart-most-rated',
      title: `The ${f.mostRated.length} most-rated movies`,
      description: `${titleYear(first.title, first.year)} has the most ratings: ${formatCount(first.ratings)}, averaging ${formatFixed(first.mean)} stars.`,
      bars: f.mostRated.map((m) => ({ label: barLabel(m.title, m.year), value: m.ratings })),
      labels: 'above',
      xLabel: 'Ratings',
    }),
    table: { head: ['Movie', 'Ratings', 'Average rating'], rows: f.mostRated.map((m) => [titleYear(m.title, m.year), formatCount(m.ratings), formatFixed(m.mean)]) },
  };
}
