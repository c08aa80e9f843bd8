import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { z } from 'zod';
import { repoRoot } from './paths.js';
import { wasmSimdSupported } from './wasm.js';

const integer = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: integer(0, 65535).default(3000),
    // Web processes (node:cluster, src/bootstrap/cluster.ts); 1 runs everything in one process, as before clustering.
    WEB_WORKERS: integer(1, 64).default(Math.min(64, availableParallelism())),
    DATA_DIR: z.string().min(1).default(resolve(repoRoot, 'data')),
    // Unset: the developers' ../shared copy, else DATA_DIR/ml-latest-small, downloaded on first start (src/bootstrap/movielens.ts).
    MOVIELENS_DIR: z.string().min(1).optional(),
    SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    STORE: z.enum(['sqlite', 'firestore']).default('sqlite'),
    ENGINE: z.enum(['inprocess', 'spark-local', 'dataproc']).default('inprocess'),
    TICK_SECONDS: integer(1, 86_400).default(5),
    BCRYPT_COST: integer(4, 15).default(12),
    GOOGLE_CLOUD_PROJECT: z.string().min(1).optional(),
    GCS_BUCKET: z.string().min(1).optional(),
    DATAPROC_REGION: z.string().min(1).optional(),
    DATAPROC_MODE: z.enum(['serverless', 'cluster']).default('serverless'),
    // Where the cloud pipeline keeps things in GCS_BUCKET: run folders under runs/, the model pointer models/current.json,
    // the ratings the Spark job trains on (uploaded by scripts/deploy-gcp), the job and its package under spark/.
    GCS_RATINGS_PATH: z.string().min(1).default('movielens/ml-latest-small/ratings.csv'),
    // Serverless runtime 2.3 (Spark 3.5, long-term support) or 3.0 (Spark 4.0, what spark/ is tested on here).
    DATAPROC_RUNTIME_VERSION: z.string().min(1).default('2.3'),
    DATAPROC_SERVICE_ACCOUNT: z.string().email().optional(),
    DATAPROC_SUBNETWORK: z.string().min(1).optional(),
    DATAPROC_CLUSTER_NAME: z.string().regex(/^[a-z]([-a-z0-9]{0,49}[a-z0-9])?$/, 'must be a Dataproc cluster name').default('moviehunter'),
    DATAPROC_IMAGE_VERSION: z.string().min(1).default('2.3-debian12'),
    DATAPROC_WORKER_COUNT: integer(0, 1000).refine((n) => n !== 1, 'must be 0 (single node) or at least 2').default(2),
    // Cluster mode: Dataproc deletes the idle cluster after this long; longer than the Scheduler's interval plus start-up.
    DATAPROC_IDLE_DELETE_TTL_SECONDS: integer(600, 14 * 86_400).default(1800),
    // The app on App Engine: how often it looks for a newer model than the one it serves (the tick runs elsewhere).
    MODEL_REFRESH_SECONDS: integer(5, 86_400).default(60),
    // The Cloud Scheduler target (jobs/): only OIDC tokens for this audience (the function's URL), signed by Google for
    // this service account, may run a tick.
    TICK_AUDIENCE: z.string().url().optional(),
    TICK_INVOKER: z.string().email().optional(),
    // Unset: `info`, or `silent` when NODE_ENV=test (see src/log.ts).
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
    // Proxies in front of the app whose X-Forwarded-* headers are believed (App Engine: 1); 0 trusts none.
    TRUST_PROXY: integer(0, 10).default(0),
    // Sessions expire after this long without a request (the expiry rolls forward on every request).
    SESSION_TTL_HOURS: integer(1, 24 * 90).default(24 * 7),
    RATE_LIMIT_WINDOW_SECONDS: integer(1, 86_400).default(900),
    RATE_LIMIT_SIGNUP_PER_ADDRESS: integer(1, 100_000).default(10),
    // Failed log-ins per window; successful ones are not counted.
    RATE_LIMIT_LOGIN_PER_ADDRESS: integer(1, 100_000).default(30),
    RATE_LIMIT_LOGIN_PER_ACCOUNT: integer(1, 100_000).default(10),
    // The bearer token POST /internal/tick requires; unset, the route does not exist (it is never open).
    TICK_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
    // Failed runs a user's picks get before the user is `failed`.
    RUN_MAX_ATTEMPTS: integer(1, 100).default(3),
    // A run without a result this long after it started is cancelled and its users retried.
    RUN_TIMEOUT_SECONDS: integer(1, 7 * 86_400).default(900),
    // Users claimed into one run at most.
    RUN_MAX_USERS: integer(1, 1_000_000).default(1000),
    // The batch model's rank and ALS iterations (the other ALS parameters are tuned defaults, src/recommend/als/params.ts).
    // Rank 64 (with λ 0.5, alpha 2) kept by `npm run tune` run tune-2026-11-24-seed42 (artifacts/tuning-ml-latest-small.json):
    // 27 candidates on validation splits; the best (rank 64, λ 0.25, alpha 1) was 1.5% better, under the 2% needed to change.
    ALS_RANK: integer(1, 1024).default(64),
    ALS_ITERATIONS: integer(1, 1000).default(15),
    // The ALS half-step kernels: WebAssembly SIMD (src/recommend/als/wasm, about 3× the TypeScript ones' speed) where
    // the runtime has it, else the TypeScript reference; both give the same model to float32 rounding.
    ALS_KERNELS: z
      .enum(['wasm', 'js'])
      .refine((kernels) => kernels === 'js' || wasmSimdSupported(), 'wasm needs WebAssembly SIMD, which this runtime lacks')
      .default(wasmSimdSupported() ? 'wasm' : 'js'),
    // ENGINE=spark-local: the Python that has pyspark (set up by `npm test` in spark/.venv), and the Spark master.
    SPARK_PYTHON: z.string().min(1).default(resolve(repoRoot, 'spark', '.venv', 'bin', 'python')),
    SPARK_MASTER: z.string().min(1).default('local[*]'),
    // Retired: a name gave admin rights to whoever signed up under it first. Rights now belong to an account
    // (`npm run admin -- grant USER`); when still set, start-up warns that it does nothing.
    ADMIN_USERNAMES: z.string().optional(),
    // Posters: with a TMDB API key, poster URLs come from TMDB (fetched in the background, cached in the store);
    // without one, every card shows a generated SVG poster. The URLs are settings so tests can point at a local server.
    TMDB_API_KEY: z.string().min(1).optional(),
    TMDB_API_URL: z.string().url().default('https://api.themoviedb.org/3'),
    TMDB_IMAGE_URL: z.string().url().default('https://image.tmdb.org/t/p/w342'),
    // How quick recommendations score picks: 'itemsim' (picks·V·Vᵀ) by `npm run evaluate`, protocol B, 10 folds, 599 new
    // users of ml-latest-small, 5 picks: R@12/NDCG@12 itemsim 0.132/0.408, fold-in with tuned λ 0.136/0.405, plain fold-in
    // 0.127/0.373, popularity 0.088/0.331 — itemsim ties the best, needs no tuning and explains itself simply.
    QUICK_METHOD: z.enum(['foldin', 'itemsim', 'blend']).default('itemsim'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: 'is required in production' });
    }
    const needs = (when: string, names: (keyof typeof env)[]) => {
      for (const name of names) if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: `is required with ${when}` });
    };
    if (env.ENGINE === 'dataproc') needs('ENGINE=dataproc', ['GOOGLE_CLOUD_PROJECT', 'DATAPROC_REGION', 'GCS_BUCKET']);
    if (env.STORE === 'firestore') needs('STORE=firestore', ['GOOGLE_CLOUD_PROJECT']);
  });

export type Config = Readonly<z.infer<typeof schema>>;

/** Reads and validates every setting from the environment; throws one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty variables count as unset, as a shell user expects from `FOO= npm start`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(parsed.data);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}
