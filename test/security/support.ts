/**
 * Shared set-up for the security suites: the whole app (catalog, model, best movies, insights, a tick) over any
 * Store, hostile values, the checks every answer must pass, and a snapshot of what a request could have stored.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import fc from 'fast-check';
import request from 'supertest';
import { createApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { CurrentModel } from '../../src/services/current-model.js';
import { openSqliteStore, USER_STATES, type Store } from '../../src/store/index.js';
import { testServices, type TestServiceOptions } from '../support/services.js';
import { smallModel } from '../support/small-model.js';

export const TICK_TOKEN = 'a-scheduler-token-of-32-characters!';

/** Rate limits out of the way (a suite that tests them sets its own). */
export const NO_LIMITS = {
  RATE_LIMIT_SIGNUP_PER_ADDRESS: '100000',
  RATE_LIMIT_LOGIN_PER_ADDRESS: '100000',
  RATE_LIMIT_LOGIN_PER_ACCOUNT: '100000',
} as const;

export interface SecureApp {
  app: Express;
  store: Store;
  currentModel: CurrentModel;
  /** Parsed log lines at `trace`, every one the app wrote. */
  logs: Record<string, unknown>[];
  /** How many times POST /internal/tick reached the pipeline. */
  ticks(): number;
  close(): Promise<void>;
}

export interface SecureAppOptions {
  env?: Record<string, string>;
  /** The store to use (it is closed by close()); a fresh in-memory SQLite store otherwise. */
  store?: Store;
  /** Parts of the services to set (e.g. a real pipeline's tick); the real ones otherwise. */
  services?: TestServiceOptions;
  sessionSecret?: string;
}

/** The app as the server builds it (minus the pipeline: /internal/tick counts calls), logging everything to `logs`. */
export async function makeSecureApp({ env = {}, store, services = {}, sessionSecret }: SecureAppOptions = {}): Promise<SecureApp> {
  const config = loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '4', LOG_LEVEL: 'trace', TICK_TOKEN, ...NO_LIMITS, ...env });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const currentModel = new CurrentModel();
  currentModel.replace(await smallModel());
  const used = store ?? (await openSqliteStore(':memory:'));
  const logger = createLogger(config, sink);
  let ticks = 0;
  const built = await testServices(config, used, logger, { currentModel, tick: async () => ({ tick: ++ticks }), ...services });
  const app = createApp({ config, store: used, logger, services: built, sessionSecret });
  return { app, store: used, currentModel, logs, ticks: () => ticks, close: () => used.close() };
}

/** Five much-rated movies of ml-latest-small (Toy Story, Jumanji, Heat, GoldenEye, Braveheart), and five others. */
export const FIVE_PICKS = [1, 2, 6, 10, 110];
export const OTHER_PICKS = [260, 1196, 1210, 2571, 1198];

export const PASSWORD = 'correct horse battery';

export interface Session {
  agent: request.Agent;
  token: string;
  id: string;
  username: string;
  /** `mh.sid=…`, the session cookie as a Cookie header, for requests made without the agent. */
  cookie: string;
}

/** The `mh.sid=…` pair of a response's Set-Cookie, or undefined. */
export function sessionCookie(res: request.Response): string | undefined {
  const header = res.headers['set-cookie'] as unknown as string[] | undefined;
  return header?.find((line) => line.startsWith('mh.sid='))?.split(';')[0];
}

/** Signs up over the API (a fresh agent); optionally saves picks. */
export async function signUp(app: Express, username: string, picks?: readonly number[]): Promise<Session> {
  const agent = request.agent(app);
  const anonymous = await agent.get('/api/v1/session').expect(200);
  const res = await agent
    .post('/api/v1/users')
    .set('X-CSRF-Token', anonymous.body.csrfToken as string)
    .send({ username, email: `${username.toLowerCase()}@example.com`, password: PASSWORD })
    .expect(201);
  const session = { agent, token: res.body.csrfToken as string, id: res.body.id as string, username, cookie: sessionCookie(res)! };
  if (picks) await agent.put('/api/v1/me/picks').set('X-CSRF-Token', session.token).send({ movieIds: picks }).expect(200);
  return session;
}

/** Logs in over the API with a fresh agent. */
export async function logIn(app: Express, username: string, password = PASSWORD): Promise<Session> {
  const agent = request.agent(app);
  const anonymous = await agent.get('/api/v1/session').expect(200);
  const res = await agent.post('/api/v1/session').set('X-CSRF-Token', anonymous.body.csrfToken as string).send({ username, password }).expect(200);
  return { agent, token: res.body.csrfToken as string, id: res.body.id as string, username: res.body.username as string, cookie: sessionCookie(res)! };
}

/** The `_csrf` value of the first form on a page. */
export function formToken(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no _csrf field on the page');
  return match[1];
}

// ---- Hostile values -------------------------------------------------------------------------------------------

/** Markers that must never come back unescaped in HTML: an element and an attribute break-out. */
export const MARK_TAG = '<mh-x>';
export const MARK_ATTR = '" mh-attr="1';

/** Strings that have broken web apps before. */
export const HOSTILE_STRINGS: readonly string[] = [
  '',
  ' ',
  '<script>alert(1)</script>',
  `${MARK_TAG}alert(1)</mh-x>`,
  `x${MARK_ATTR}`,
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE users; --",
  '{{7*7}}<%= 7*7 %>${7*7}',
  '../../../../etc/passwd',
  '%00%2e%2e%2f',
  '\u0000',
  '\u0000<mh-x>',
  'a\r\nSet-Cookie: mh.sid=evil',
  '\u202egnp.exe',
  '\u200b\u200c\u200d\ufeff',
  'e\u0301\u0301\u0301\u0301\u0301',
  'ＡＬＩＣＥ',
  'ﬁ',
  '\ud800',
  '\udfff\ud800',
  '😀'.repeat(40),
  '𝕬𝖑𝖎𝖈𝖊',
  'İı',
  '__proto__',
  'constructor',
  'toString',
  'NaN',
  '-1',
  '1e309',
  '9007199254740993',
  'null',
  '[]',
  '{}',
  'x'.repeat(257),
  'y'.repeat(5_000),
];

/** Any string, with a bias to the hostile ones and to markers inside ordinary text. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), fc.constantFrom(MARK_TAG, MARK_ATTR), fc.string({ maxLength: 8 })).map((parts) => parts.join('')) },
);

/** Numbers a JSON body can carry, the awkward ones first. */
export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1.5, 2 ** 31, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1e308, -1e308, Number.MIN_VALUE, 193_609, 193_610),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** Any JSON value, hostile strings and numbers included, nested a little. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(hostileString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A value for a field that should be a string: mostly strings, sometimes anything. */
export const fieldValue: fc.Arbitrary<unknown> = fc.oneof({ weight: 4, arbitrary: hostileString }, { weight: 1, arbitrary: hostileJson });

/** An object with some of `fields` (hostile values) and extra keys (`__proto__`, `role`, …). */
export function hostileObject(fields: readonly string[], value: fc.Arbitrary<unknown> = fieldValue): fc.Arbitrary<Record<string, unknown>> {
  const known = fc.record(Object.fromEntries(fields.map((f) => [f, value])), { requiredKeys: [] });
  const extra = fc.dictionary(fc.oneof(fc.constantFrom('__proto__', 'constructor', 'role', 'id', 'userId', 'isAdmin', '_csrf'), fc.string({ maxLength: 10 })), hostileJson, {
    maxKeys: 3,
  });
  return fc.tuple(known, extra).map(([k, e]) => {
    // JSON.parse makes "__proto__" an own property; build the same here so the body sent carries it.
    const out: Record<string, unknown> = JSON.parse('{}');
    for (const [key, v] of [...Object.entries(e), ...Object.entries(k)]) Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    return out;
  });
}

/** A JSON body for a route taking `fields`: usually an object, sometimes not an object at all. */
export function hostileBody(fields: readonly string[], value?: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 5, arbitrary: hostileObject(fields, value) }, { weight: 1, arbitrary: hostileJson });
}

/** Movie id lists: real ids, out-of-range ids, wrong types, too few and too many. */
export const hostileMovieIds: fc.Arbitrary<unknown> = fc.oneof(
  fc.array(fc.constantFrom(1, 2, 3, 5, 6, 10, 110, 260, 318, 356, 1196, 2571, 4993, 1076), { minLength: 4, maxLength: 7 }),
  fc.array(fc.oneof(hostileNumber, fc.integer({ min: 1, max: 200_000 })), { maxLength: 60 }),
  fc.array(hostileJson, { maxLength: 8 }),
  fc.array(fc.integer({ min: 1, max: 10 }), { minLength: 51, maxLength: 400 }),
  hostileJson,
);

// ---- What every answer must be ----------------------------------------------------------------------------------

const STACK = /\n\s+at\s|\bat\s+\S+\s+\(?(\/|file:|node:)|node_modules|\.[cm]?js:\d+|\.ts:\d+|Error:\s/;

export interface AnswerCheck {
  status: number;
  headers: Record<string, unknown>;
  text?: string;
  body?: unknown;
}

/** Never a 5xx (unless `allow5xx`), never a stack, the API's error shape, no hostile marker unescaped in HTML. */
export function assertSafeAnswer(res: AnswerCheck, what: string, options: { allow5xx?: boolean } = {}): void {
  const text = res.text ?? '';
  if (!options.allow5xx) assert.ok(res.status < 500, `${what}: answered ${res.status}: ${text.slice(0, 300)}`);
  assert.doesNotMatch(text, STACK, `${what}: the answer shows a stack or internals: ${text.slice(0, 300)}`);
  const contentType = res.headers['content-type'];
  const type = typeof contentType === 'string' ? contentType : '';
  const api = /^(\/api|\/internal)(\/|$|\?)/.test(what.split(' ')[1] ?? '');
  const head = what.startsWith('HEAD ');
  if (api && !head && res.status >= 400 && res.status !== 431) {
    assert.match(type, /application\/json/, `${what}: error answer is ${type}`);
    const error = (res.body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
    assert.equal(typeof error?.code, 'string', `${what}: no error.code in ${text.slice(0, 200)}`);
    assert.equal(typeof error?.message, 'string', `${what}: no error.message in ${text.slice(0, 200)}`);
  }
  if (/text\/html/.test(type)) {
    assert.ok(!text.includes('<mh-x'), `${what}: an unescaped element came back in the page`);
    assert.ok(!text.includes(MARK_ATTR), `${what}: an unescaped attribute came back in the page`);
    assert.ok(!/<script>alert|<img src=x/i.test(text), `${what}: a script came back unescaped`);
  }
}

/** Unexpected errors the app logged (level error and above) since `from`. */
export function loggedErrors(logs: readonly Record<string, unknown>[], from = 0): Record<string, unknown>[] {
  return logs.slice(from).filter((line) => typeof line.level === 'number' && line.level >= 50);
}

// ---- What a request could have stored ----------------------------------------------------------------------------

/** One user's own data: picks, state and results. */
export async function userSnapshot(store: Store, userId: string): Promise<string> {
  const status = await store.getUserStatus(userId);
  const quick = await store.getQuickRecommendations(userId);
  const full = await store.getRecommendations(userId);
  return JSON.stringify({ status: status && { ...status, updatedAt: undefined }, quick, full });
}

/** Everything a rejected request must leave as it was: the accounts, and one user's picks, state and results. */
export async function snapshot(store: Store, userId?: string): Promise<string> {
  const counts = await store.countUsersByState();
  const total = USER_STATES.reduce((sum, state) => sum + counts[state], 0);
  const status = userId ? await store.getUserStatus(userId) : null;
  const quick = userId ? await store.getQuickRecommendations(userId) : null;
  const full = userId ? await store.getRecommendations(userId) : null;
  const reactions = userId ? await store.listReactions(userId) : [];
  const runs = await store.listRuns({ limit: 100 });
  return JSON.stringify({
    total,
    counts,
    status: status && { ...status, updatedAt: undefined },
    quick: quick && { generation: quick.generation, items: quick.items },
    full: full && { generation: full.generation, n: full.candidates.length },
    reactions,
    runs: runs.length,
  });
}
