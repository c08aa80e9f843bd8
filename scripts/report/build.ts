/**
 * The evaluation report: one self-contained HTML page (inline CSS and SVG, no script, no external resource) drawn
 * from the JSON the runs write — bench-peers (engines side by side, metric@k curves, training time and memory
 * against dataset size, loss per iteration, the best-movies notebook), npm run tune and npm run evaluate — each
 * chart with the table behind it. Pure: the caller reads the files (scripts/report.ts), the app's stylesheet too.
 */
import { barChart } from '../../src/charts/bar-chart.js';
import { formatCount, formatTick } from '../../src/charts/format.js';
import { lineChart, type LineSeries } from '../../src/charts/line-chart.js';
import { accuracyPopularityChart } from './accuracy-popularity.js';
import { escapeXml as esc } from '../../src/svg/escape.js';
import type { BenchPeersReport, EvaluationFile, NotebookReport, PeerReport, TuningCandidate, TuningFile } from './schemas.js';

export interface Sourced<T> {
  readonly file: string;
  readonly report: T;
}

export interface ReportInputs {
  readonly generatedAt: string;
  /** The app's stylesheet (views/static/app.css, readAppStylesheet()), inlined so the report looks like the app. */
  readonly stylesheet: string;
  readonly benchPeers: readonly Sourced<BenchPeersReport>[];
  readonly evaluations: readonly Sourced<EvaluationFile>[];
  readonly tuning: readonly Sourced<TuningFile>[];
}

const ENGINE_COLOURS: Record<string, string> = {
  moviehunter: '#b3261e',
  spark: '#e07b00',
  implicit: '#1a5fd0',
  'moviehunter-unscaled': '#7b1fa2',
  popularity: '#5b616e',
  'item-bias': '#2e7d32',
};
const EXTRA_COLOURS = ['#00838f', '#5d4037', '#c2185b', '#7b1fa2'];
const METHODS = ['itemsim', 'foldin', 'blend'] as const;

interface Table {
  readonly head: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

export function buildReport(inputs: ReportInputs): string {
  // Smoke runs only when there is nothing else (CI's, say): they prove the plumbing, not the figures.
  const real = inputs.benchPeers.filter((b) => !b.report.smoke);
  const peers = [...(real.length > 0 ? real : inputs.benchPeers)].sort((a, b) => a.report.data.ratings - b.report.data.ratings);
  const sections = [
    overview(inputs, peers),
    ...peers.map(peersSection),
    scalingSection(peers),
    notebookSection(peers),
    tuningSection(inputs.tuning),
    evaluationSection(inputs.evaluations),
  ].filter((s) => s !== '');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>MovieHunter evaluation report</title>',
    `<style>\n${inputs.stylesheet}${REPORT_STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    '<h1>MovieHunter evaluation report</h1>',
    ...sections,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function overview(inputs: ReportInputs, peers: readonly Sourced<BenchPeersReport>[]): string {
  const files = [...inputs.benchPeers, ...inputs.tuning, ...inputs.evaluations].map((s) => s.file);
  const smokeOnly = peers.length > 0 && peers.every((p) => p.report.smoke);
  return section('overview', 'What this is', [
    `<p>Generated ${esc(inputs.generatedAt)} by <code>npm run report</code> from ${files.length === 0 ? 'no run at all' : `${files.length} JSON file${files.length === 1 ? '' : 's'}`}.
MovieHunter's in-process ALS is trained beside Spark MLlib's ALS (local) and the <code>implicit</code> library's CPU ALS by
<code>scripts/bench-peers</code>, on the same split with the same parameters; every model's factors are scored by the same evaluator
(protocol A: known users, 20% of each user's liked ratings held out; protocol B: new users with 5 picks). Training time is the fit call alone;
memory is the peak RSS of the engine's process tree during loading and training.</p>`,
    files.length === 0
      ? '<p class="note">No runs found in <code>artifacts/</code>: run <code>scripts/bench-peers</code> (and <code>npm run tune</code>, <code>npm run evaluate</code>), then <code>npm run report</code> again.</p>'
      : `<details><summary>Inputs</summary><ul>${files.map((f) => `<li><code>${esc(f)}</code></li>`).join('')}</ul></details>`,
    smokeOnly ? '<p class="note">Only smoke runs (tiny data, rank 8, 3 iterations) were found: the figures below check the plumbing and say nothing about the engines.</p>' : '',
  ]);
}

function peersSection({ file, report: r }: Sourced<BenchPeersReport>): string {
  const id = `peers-${r.dataset}`;
  const ok = r.peers.filter((p) => p.status === 'ok');
  const failed = r.peers.filter((p) => p.status !== 'ok' || p.reason !== undefined);
  const gb = (bytes: number | undefined): string => (bytes === undefined ? '–' : (bytes / 1e9).toFixed(2));
  const fix = (v: number | undefined, d = 4): string => (v === undefined ? '–' : v.toFixed(d));
  const table: Table = {
    head: ['model', 'train s', 's / iteration', 'B train s', 'peak RSS GB', 'process s', 'P@10', 'R@20', 'NDCG@10', 'Cov@10', 'R@12 itemsim', 'R@12 foldin', 'R@12 blend', 'NDCG@12 itemsim'],
    rows: [
      ...ok.map((p) => [
        p.engine, fix(p.trainSeconds, 2), fix(p.trainSeconds === undefined ? undefined : p.trainSeconds / r.params.iterations, 3), fix(p.trainSecondsB, 2), gb(p.peakRssBytes), fix(p.wallSeconds, 1),
        fix(p.protocolA?.metrics.precisionAt10), fix(p.protocolA?.metrics.recallAt20), fix(p.protocolA?.metrics.ndcgAt10), fix(p.protocolA?.metrics.coverageAt10),
        ...METHODS.map((m) => fix(p.protocolB?.[m]?.metrics.recallAt12)), fix(p.protocolB?.itemsim?.metrics.ndcgAt12),
      ]),
      ...Object.keys(r.baselines.A).map((name) => {
        const a = r.baselines.A[name]?.metrics;
        const b = r.baselines.B[name]?.metrics;
        return [name, '–', '–', '–', '–', '–', fix(a?.precisionAt10), fix(a?.recallAt20), fix(a?.ndcgAt10), fix(a?.coverageAt10), fix(b?.recallAt12), '–', '–', fix(b?.ndcgAt12)];
      }),
    ],
  };
  const targets: Table = {
    head: ['target', 'measured', 'limit', 'result', 'note'],
    rows: r.targets.map((t) => [t.target, t.measured === null ? '–' : `${t.measured.toFixed(3)}×`, `${t.kind === 'max' ? '≤' : '≥'} ${t.limit}×`, t.holds === null ? 'n/a' : t.holds ? 'holds' : 'missed', t.note]),
  };
  const implicitLambda = ok.find((p) => p.engine === 'implicit')?.params?.regularization;
  const charts = [
    ...curveCharts(r, id),
    lossChart(r, id),
  ].filter((c) => c !== '');
  return section(id, `Peers on ${r.dataset}${r.smoke ? ' (smoke run)' : ''}`, [
    `<p>${formatCount(r.data.ratings)} ratings, ${formatCount(r.data.users)} users, ${formatCount(r.data.items)} movies (<code>${esc(r.dataDir)}</code>).
Rank ${r.params.rank}, ${r.params.iterations} iterations, λ ${r.params.regularization} scaled by each row's number of ratings (as Spark does), alpha ${r.params.alpha} (confidence 1 + alpha·r)${
      typeof implicitLambda === 'number' ? `; implicit has no per-row scaling of λ and trained with λ ${implicitLambda.toPrecision(4)} (λ × the mean number of ratings of a row)` : ''}${
      ok.some((p) => p.engine === 'moviehunter-unscaled') ? '; moviehunter-unscaled is MovieHunter\'s ALS with that same unscaled λ (implicit\'s objective)' : ''}.
Protocol A: ${formatCount(r.split.A.evaluatedUsers)} users; protocol B: ${formatCount(r.split.B.evaluatedUsers)} new users over ${r.split.B.folds === 1 ? 'one 10% split' : `${r.split.B.folds} folds`}.
${esc(r.machine.cpus)} cores (${esc(r.machine.cpu)}), load average ${r.machine.loadAverage.map((l) => l.toFixed(1)).join(' → ')}. From <code>${esc(file)}</code>, ${esc(r.startedAt)}.</p>`,
    failed.length > 0
      ? `<p class="note">${failed.map((p) => (p.status === 'ok' ? `${esc(p.engine)}: ${esc(p.reason)}` : `${esc(p.engine)} could not run: ${esc(p.reason ?? 'unknown')}`)).join('<br>')}</p>`
      : '',
    tableHtml(table, 'Engines and baselines'),
    tableHtml(targets, 'Targets'),
    charts.length > 0 ? `<div class="charts">${charts.join('\n')}</div>` : '',
  ]);
}

/** A series per engine and baseline for protocol A's curves; per quick method for protocol B's. */
function curveCharts(r: BenchPeersReport, id: string): string[] {
  const ok = r.peers.filter((p) => p.status === 'ok');
  const out: string[] = [];
  const metrics = [['recall', 'Recall'], ['ndcg', 'NDCG'], ['precision', 'Precision']] as const;
  for (const [key, label] of metrics) {
    const series: { name: string; colour: string; ks: readonly number[]; values: readonly number[] }[] = [
      ...ok.filter((p) => p.protocolA).map((p) => ({ name: p.engine, colour: colourOf(p.engine, 0), ks: p.protocolA!.curves.ks, values: p.protocolA!.curves[key] })),
      ...Object.entries(r.baselines.A).map(([name, s]) => ({ name, colour: colourOf(name, 1), ks: s.curves.ks, values: s.curves[key] })),
    ];
    out.push(curveFigure(`${id}-a-${key}`, `Protocol A: ${label}@k`, `${label}@k of every model and baseline for known users on ${r.dataset}.`, label, series));
  }
  const methods = r.servedQuickMethod === 'itemsim' ? METHODS : [r.servedQuickMethod, ...METHODS.filter((m) => m !== r.servedQuickMethod)];
  for (const method of methods) {
    const series = [
      ...ok.filter((p) => p.protocolB?.[method]).map((p) => {
        const c = p.protocolB![method]!.curves;
        return { name: `${p.engine} ${method}`, colour: colourOf(p.engine, 0), ks: c.ks, values: c.recall };
      }),
      ...Object.entries(r.baselines.B).map(([name, s]) => ({ name, colour: colourOf(name, 1), ks: s.curves.ks, values: s.curves.recall })),
    ];
    out.push(curveFigure(`${id}-b-${method}`, `Protocol B: Recall@k, ${method}${method === r.servedQuickMethod ? ' (served)' : ''}`,
      `Recall@k for new users with 5 picks, quick method ${method} on each engine's item factors, and the baselines, on ${r.dataset}.`, 'Recall', series));
  }
  return out;
}

function curveFigure(id: string, title: string, description: string, label: string, series: readonly { name: string; colour: string; ks: readonly number[]; values: readonly number[] }[]): string {
  if (series.length === 0) return '';
  const ks = [...new Set(series.flatMap((s) => s.ks))].sort((a, b) => a - b);
  // k on a log scale, so that 1, 5 and 10 do not crowd together.
  const lines: LineSeries[] = series.map((s) => ({ name: s.name, colour: s.colour, points: s.ks.map((k, n) => ({ x: Math.log10(k), y: s.values[n] })) }));
  const svg = lineChart({
    id: `chart-${id}`, title, description, series: lines, xTicks: ks.map(Math.log10), formatX: (v) => String(Math.round(10 ** v)), formatY: (v) => formatTick(v),
    xLabel: 'k, list length (log scale)', yLabel: `${label}@k`,
  });
  const table: Table = { head: ['model', ...ks.map((k) => `@${k}`)], rows: series.map((s) => [s.name, ...ks.map((k) => { const n = s.ks.indexOf(k); return n < 0 ? '–' : s.values[n].toFixed(4); })]) };
  return figure(id, title, svg, description, table);
}

function lossChart(r: BenchPeersReport, id: string): string {
  const ok = r.peers.filter((p) => p.status === 'ok' && (p.iterations ?? []).some((it) => typeof it.loss === 'number'));
  if (ok.length === 0) return '';
  const series: LineSeries[] = ok.map((p) => ({ name: p.engine, colour: colourOf(p.engine, 0), points: p.iterations!.filter((it) => typeof it.loss === 'number').map((it) => ({ x: it.iteration, y: it.loss! })) }));
  const iterations = Math.max(...series.flatMap((s) => s.points.map((p) => p.x)));
  const step = iterations <= 8 ? 1 : iterations <= 20 ? 2 : Math.ceil(iterations / 8);
  const xTicks: number[] = [];
  for (let t = 1; t <= iterations; t += step) xTicks.push(t);
  const description = `MovieHunter's objective Σ c(p − x·y)² + λ·n‖x‖² + λ·n‖y‖² computed on each engine's factors after every iteration (Spark reports none: its final value only). implicit minimises its own objective (unscaled λ), so its curve levels off higher.`;
  const svg = lineChart({ id: `chart-${id}-loss`, title: 'Training loss per iteration', description, series, xTicks, formatX: (v) => String(v), formatY: (v) => formatTick(v), xLabel: 'Iteration', yLabel: 'Objective' });
  const table: Table = {
    head: ['iteration', ...ok.map((p) => p.engine)],
    rows: Array.from({ length: iterations }, (_, n) => [String(n + 1), ...series.map((s) => { const point = s.points.find((p) => p.x === n + 1); return point ? formatCount(point.y!) : '–'; })]),
  };
  return figure(`${id}-loss`, 'Training loss per iteration', svg, description, table);
}

/** Training time and peak memory against the number of ratings, log-log, one line per engine. */
function scalingSection(peers: readonly Sourced<BenchPeersReport>[]): string {
  const runs = peers.map((p) => p.report);
  if (runs.length === 0) return '';
  // Only runs with the same rank and iterations compare: the most common pair.
  const key = (r: BenchPeersReport): string => `${r.params.rank}×${r.params.iterations}`;
  const counts = new Map<string, number>();
  for (const r of runs) counts.set(key(r), (counts.get(key(r)) ?? 0) + 1);
  const chosen = [...counts].sort((a, b) => b[1] - a[1] || (a[0] === '64×15' ? -1 : 1))[0][0];
  const used = runs.filter((r) => key(r) === chosen);
  const engines = [...new Set(used.flatMap((r) => r.peers.map((p) => p.engine)))];
  const point = (r: BenchPeersReport, engine: string, value: (p: PeerReport) => number | undefined): number | null => {
    const p = r.peers.find((q) => q.engine === engine && q.status === 'ok');
    const v = p ? value(p) : undefined;
    return v === undefined || !(v > 0) ? null : v;
  };
  const logChart = (id: string, title: string, yLabel: string, value: (p: PeerReport) => number | undefined, unit: string): string => {
    const series: LineSeries[] = engines.map((engine) => ({
      name: engine,
      colour: colourOf(engine, 0),
      points: used.map((r) => { const v = point(r, engine, value); return { x: Math.log10(r.data.ratings), y: v === null ? null : Math.log10(v) }; }),
    }));
    const ys = series.flatMap((s) => s.points.map((p) => p.y).filter((y): y is number => y !== null));
    if (ys.length === 0) return '';
    const xs = used.map((r) => Math.log10(r.data.ratings));
    const decades = (lo: number, hi: number): number[] => {
      const out: number[] = [];
      for (let d = Math.floor(lo); d <= Math.ceil(hi); d++) out.push(d);
      return out.length >= 2 ? out : [out[0], out[0] + 1];
    };
    const description = `${title} against the number of ratings, both on log scales, at rank ${used[0].params.rank} and ${used[0].params.iterations} iterations: ${used.map((r) => r.dataset).join(', ')}. A missing point is a run the engine could not do.`;
    const svg = lineChart({
      id: `chart-${id}`, title, description, series,
      xTicks: decades(Math.min(...xs), Math.max(...xs)), yTicks: decades(Math.min(...ys), Math.max(...ys)),
      formatX: (v) => formatTick(10 ** v), formatY: (v) => formatTick(Number((10 ** v).toPrecision(3))),
      xLabel: 'Ratings (log scale)', yLabel: `${yLabel} (log scale)`,
    });
    const table: Table = {
      head: ['dataset', 'ratings', ...engines.map((e) => `${e} ${unit}`)],
      rows: used.map((r) => [r.dataset, formatCount(r.data.ratings), ...engines.map((e) => {
        const v = point(r, e, value);
        const failed = r.peers.find((p) => p.engine === e && p.status !== 'ok');
        return v === null ? (failed ? `could not run: ${failed.reason ?? ''}` : '–') : v.toPrecision(3);
      })]),
    };
    return figure(id, title, svg, description, table);
  };
  const charts = [
    logChart('scaling-time', 'Training time against dataset size', 'Seconds', (p) => p.trainSeconds, 's'),
    logChart('scaling-memory', 'Peak memory against dataset size', 'Peak RSS, GB', (p) => (p.peakRssBytes === undefined ? undefined : p.peakRssBytes / 1e9), 'GB'),
  ].filter((c) => c !== '');
  if (charts.length === 0) return '';
  return section('scaling', 'Training time and memory against dataset size', [
    `<p>Training time is the fit call alone (data loading and the JVM or interpreter start are not in it); memory is the peak of the engine's whole process tree
while it loaded and trained. Runs at rank × iterations ${esc(chosen)}${runs.length > used.length ? ` (${runs.length - used.length} run(s) at other parameters left out)` : ''}.</p>`,
    `<div class="charts">${charts.join('\n')}</div>`,
  ]);
}

function notebookSection(peers: readonly Sourced<BenchPeersReport>[]): string {
  const runs = peers.map((p) => p.report);
  const done = runs.filter((r): r is BenchPeersReport & { notebook: NotebookReport } => !('skipped' in r.notebook));
  const skipped = runs.filter((r) => 'skipped' in r.notebook);
  if (runs.length === 0) return '';
  const table: Table = {
    head: ['dataset', 'ratings', 'notebook read s', 'notebook preparation s', 'notebook ranking s', 'core load s', 'core bestMovies s', 'speed-up', 'top-48 overlap', 'top-10 overlap', 'Spearman ρ'],
    rows: done.map((r) => {
      const n = r.notebook;
      const notebook = n.notebook.prepareSeconds + n.notebook.rankSeconds;
      return [r.dataset, formatCount(n.ratings), n.notebook.readSeconds.toFixed(3), n.notebook.prepareSeconds.toFixed(3), n.notebook.rankSeconds.toFixed(4), n.core.loadSeconds.toFixed(3),
        n.core.bestMoviesSeconds.toFixed(4), `${Math.round(notebook / n.core.bestMoviesSeconds)}×`, `${n.agreement.overlap}/${n.agreement.top}`, `${n.agreement.top10Overlap}/10`, n.agreement.spearman?.toFixed(3) ?? '–'];
    }),
  };
  const charts = done.map((r) => {
    const n = r.notebook;
    const bars = [
      { label: 'notebook preparation + ranking', value: n.notebook.prepareSeconds + n.notebook.rankSeconds, colour: ENGINE_COLOURS.spark },
      { label: 'core bestMovies (every genre too)', value: n.core.bestMoviesSeconds, colour: ENGINE_COLOURS.moviehunter },
    ];
    const description = `On ${r.dataset}: the original pandas preparation takes ${bars[0].value.toFixed(3)} s, the core ${bars[1].value.toFixed(4)} s.`;
    const svg = barChart({ id: `chart-notebook-${r.dataset}`, title: `Best movies on ${r.dataset}: seconds`, description, bars, labels: 'above', xLabel: 'Seconds', formatValue: (v) => (v >= 0.1 ? v.toFixed(2) : v.toFixed(4)) });
    const lists: Table = {
      head: ['rank', 'notebook movieId', 'core movieId'],
      rows: Array.from({ length: Math.max(n.notebookTop.length, n.coreTop.length) }, (_, i) => [String(i + 1), String(n.notebookTop[i] ?? '–'), String(n.coreTop[i] ?? '–')]),
    };
    return figure(`notebook-${r.dataset}`, `Best movies on ${r.dataset}`, svg, description, lists);
  });
  return section('notebook', 'Best movies: the original notebook against the core', [
    `<p>The original computed best movies in a notebook: pandas remapped the ids with a per-row <code>apply</code>, built each movie's raters with a list
comprehension that filters the whole frame and calls <code>unique()</code> once per movie, then trained a Keras model. <code>scripts/peers/notebook_best_movies.py</code>
reproduces that preparation and ranks by the closed-form regularized item bias (λ 25, at least 20 ratings) instead of the Keras model; the core
(<code>src/recommend/best-movies.ts</code>) fits user and item biases by alternating closed-form passes and ranks overall and per genre.</p>`,
    done.length > 0 ? tableHtml(table, 'Timings and agreement') : '',
    skipped.length > 0 ? `<p class="note">${skipped.map((r) => `${esc(r.dataset)}: ${esc((r.notebook as { skipped: string }).skipped)}`).join('<br>')}</p>` : '',
    charts.length > 0 ? `<div class="charts">${charts.join('\n')}</div>` : '',
  ]);
}

function tuningSection(runs: readonly Sourced<TuningFile>[]): string {
  if (runs.length === 0) return '';
  return runs.map(({ file, report: t }) => {
    const id = `tuning-${t.runId}`;
    const sorted = [...t.candidates].sort((a, b) => (b.score ?? 0) - (a.score ?? 0));
    const mark = (c: TuningCandidate): string => [c === sorted[0] ? 'best' : '', same(c, t.chosen) ? 'chosen' : '', same(c, t.defaults) ? 'defaults' : ''].filter(Boolean).join(', ');
    const table: Table = {
      head: ['rank', 'λ', 'alpha', 'R@20 (A)', 'NDCG@10 (A)', `R@12 (B, ${t.servedQuickMethod})`, 'NDCG@12 (B)', 'score', 'train s', ''],
      rows: sorted.map((c) => [String(c.rank), String(c.regularization), String(c.alpha), c.recallAt20.toFixed(4), c.ndcgAt10.toFixed(4), c.recallAt12.toFixed(4), c.ndcgAt12.toFixed(4), (c.score ?? 0).toFixed(3), c.trainSeconds.toFixed(2), mark(c)]),
    };
    const rank = t.chosen.rank;
    const lambdas = [...new Set(t.candidates.map((c) => c.regularization))].sort((a, b) => a - b);
    const alphas = [...new Set(t.candidates.map((c) => c.alpha))].sort((a, b) => a - b);
    const chart = (key: 'recallAt20' | 'recallAt12', label: string): string => {
      const series: LineSeries[] = alphas.map((alpha, n) => ({
        name: `alpha ${alpha}`,
        colour: EXTRA_COLOURS[n % EXTRA_COLOURS.length],
        points: lambdas.map((lambda) => { const c = t.candidates.find((q) => q.rank === rank && q.alpha === alpha && q.regularization === lambda); return { x: Math.log10(lambda), y: c ? c[key] : null }; }),
      }));
      const description = `Validation ${label} at rank ${rank} against λ (log scale), one line per alpha.`;
      const svg = lineChart({ id: `chart-${id}-${key}`, title: `Validation ${label}, rank ${rank}`, description, series, xTicks: lambdas.map(Math.log10), formatX: (v) => formatTick(Number((10 ** v).toPrecision(3))), formatY: (v) => formatTick(v), xLabel: 'λ (log scale)', yLabel: label });
      const data: Table = { head: ['λ', ...alphas.map((a) => `alpha ${a}`)], rows: lambdas.map((lambda, n) => [String(lambda), ...series.map((s) => (s.points[n].y === null ? '–' : s.points[n].y.toFixed(4)))]) };
      return figure(`${id}-${key}`, `Validation ${label}, rank ${rank}`, svg, description, data);
    };
    const verdict = t.changeDefaults
      ? `The chosen values (rank ${t.chosen.rank}, λ ${t.chosen.regularization}, alpha ${t.chosen.alpha}) beat the defaults on validation and went into <code>src/recommend/als/params.ts</code>.`
      : `The defaults (rank ${t.defaults.rank}, λ ${t.defaults.regularization}, alpha ${t.defaults.alpha}) stay: no candidate beat them by enough on validation (chosen under the rule: rank ${t.chosen.rank}, λ ${t.chosen.regularization}, alpha ${t.chosen.alpha}).`;
    return section(id, `Tuning: ${t.runId}`, [
      `<p>${esc(t.validation.description)}. ${t.iterations} iterations, seed ${t.seed}. Criterion: ${esc(t.criterion)}. ${verdict} From <code>${esc(file)}</code>.</p>`,
      `<div class="charts">${chart('recallAt20', 'Recall@20 (A)')}\n${chart('recallAt12', 'Recall@12 (B)')}</div>`,
      tableHtml(table, 'Every candidate, best first'),
    ]);
  }).join('\n');
}

function same(a: TuningCandidate, b: TuningCandidate): boolean {
  return a.rank === b.rank && a.regularization === b.regularization && a.alpha === b.alpha;
}

/** A metric to four places; '–' when missing or NaN (written as null). */
function fixed(value: number | null | undefined): string {
  return typeof value === 'number' ? value.toFixed(4) : '–';
}

function evaluationSection(runs: readonly Sourced<EvaluationFile>[]): string {
  if (runs.length === 0) return '';
  return runs.map(({ file, report: e }) => {
    const name = e.dataset.split('/').filter(Boolean).pop() ?? e.dataset;
    const id = `evaluation-${name}`;
    const parts = e.protocols.map((p) => {
      const keys = [...new Set(p.rows.flatMap((row) => Object.keys(row.metrics)))];
      const table: Table = { head: ['model', 'users', ...keys, 'train s'], rows: p.rows.map((row) => [row.model, String(row.users), ...keys.map((k) => fixed(row.metrics[k])), row.trainSeconds.toFixed(2)]) };
      const key = p.protocol === 'A' ? 'recallAt20' : 'recallAt12';
      const label = p.protocol === 'A' ? 'Recall@20' : 'Recall@12';
      const scored = p.rows.flatMap((row) => (typeof row.metrics[key] === 'number' ? [{ model: row.model, value: row.metrics[key] }] : []));
      const bars = scored.map(({ model, value }, n) => ({ label: model, value, colour: colourOf(model.startsWith('als') || model.startsWith('original') ? 'moviehunter' : model, n) }));
      const description = `${label} of every model of protocol ${p.protocol} on ${name}: ${p.description}.`;
      const svg = barChart({ id: `chart-${id}-${p.protocol}`, title: `Protocol ${p.protocol}: ${label}`, description, bars, xLabel: label, labels: 'above', formatValue: (v) => v.toFixed(4) });
      const scatterTitle = `Protocol ${p.protocol}: accuracy against popularity`;
      const scatterText = `Recall against the share of the list among the 100 most-rated movies, one point per re-ranking row (quick 12 at 12, the 48 at 48) of protocol ${p.protocol} on ${name}.`;
      const scatter = accuracyPopularityChart(`chart-${id}-${p.protocol}-popularity`, scatterTitle, scatterText, p.rows);
      return [
        figure(`${id}-${p.protocol}`, `Protocol ${p.protocol}: ${label}`, svg, description, table),
        ...(scatter === null ? [] : [figure(`${id}-${p.protocol}-popularity`, scatterTitle, scatter.svg, scatterText, scatter)]),
      ].join('\n');
    });
    return section(id, `npm run evaluate on ${name}`, [
      `<p>${formatCount(e.data.ratings)} ratings; seed ${e.seed}; ALS ${esc(JSON.stringify(e.als))}; protocol B over ${e.folds ?? 1} fold(s). From <code>${esc(file)}</code>.</p>`,
      `<div class="charts">${parts.join('\n')}</div>`,
    ]);
  }).join('\n');
}

function colourOf(name: string, fallback: number): string {
  return ENGINE_COLOURS[name] ?? EXTRA_COLOURS[fallback % EXTRA_COLOURS.length];
}

function section(id: string, title: string, parts: readonly string[]): string {
  return `<section id="${esc(safe(id))}">\n<h2>${esc(title)}</h2>\n${parts.filter((p) => p !== '').join('\n')}\n</section>`;
}

function figure(id: string, title: string, svg: string, caption: string, table: Table): string {
  return `<figure class="chart-figure" id="${esc(safe(id))}">
<h3 class="chart-heading">${esc(title)}</h3>
${svg}
<figcaption>${esc(caption)}</figcaption>
<details class="chart-data"><summary>The numbers</summary>${tableHtml(table)}</details>
</figure>`;
}

function tableHtml(table: Table, caption?: string): string {
  const head = `<thead><tr>${table.head.map((h) => `<th scope="col">${esc(h)}</th>`).join('')}</tr></thead>`;
  const body = `<tbody>${table.rows.map((row) => `<tr>${row.map((cell, n) => (n === 0 ? `<th scope="row">${esc(cell)}</th>` : `<td>${esc(cell)}</td>`)).join('')}</tr>`).join('')}</tbody>`;
  return `<div class="table-scroll"><table>${caption ? `<caption>${esc(caption)}</caption>` : ''}${head}${body}</table></div>`;
}

function safe(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '-');
}

/** What a report needs beyond the app's stylesheet: wider pages for wide tables, notes, table captions. */
const REPORT_STYLE = `
main { max-width: 72rem; }
.note { background: var(--bad-bg); border-left: 4px solid var(--accent); padding: 0.5rem 0.75rem; }
caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
`;
