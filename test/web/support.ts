/** Shared set-up for the web tests: the app and its real services over a fresh in-memory SQLite store, and small HTTP helpers. */
import { Writable } from 'node:stream';
import type { Express } from 'express';
import request from 'supertest';
import { runAdminCommand } from '../../src/operations/admin-command.js';
import { createApp } from '../../src/app.js';
import type { Services } from '../../src/bootstrap/services.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { testServices, type TestServiceOptions } from '../support/services.js';

export interface TestApp {
  app: Express;
  store: Store;
  services: Services;
  /** Parsed log lines (only when `captureLogs`). */
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  captureLogs?: boolean;
  /** Wraps the real store, e.g. to make one method fail. */
  wrapStore?: (store: Store) => Store;
  /** A store to serve from instead of a fresh in-memory SQLite one (the caller closes it). */
  store?: Store;
  /** Parts of the services to set (a model holder, a tick, insights…); the real ones otherwise. */
  services?: TestServiceOptions;
  sessionSecret?: string;
}

export async function makeApp({ env = {}, captureLogs = false, wrapStore, store: given, services: parts, sessionSecret }: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', BCRYPT_COST: '4', ...(captureLogs ? { LOG_LEVEL: 'info' } : {}), ...env });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(JSON.parse(line));
      done();
    },
  });
  const logger = createLogger(config, captureLogs ? sink : undefined);
  const real = given ?? (await openSqliteStore(':memory:'));
  const store = wrapStore ? wrapStore(real) : real;
  const services = await testServices(config, store, logger, parts);
  const app = createApp({ config, store, logger, services, sessionSecret });
  return { app, store, services, logs, close: () => (given ? Promise.resolve() : real.close()) };
}

/** A store whose `method` throws a plain (unexpected) error. */
export function failing(method: keyof Store, message: string) {
  return (store: Store): Store =>
    new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === method) return async () => { throw new Error(message); };
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
}

/** The CSRF token of the session behind this agent, from the API. */
export async function apiToken(agent: request.Agent): Promise<string> {
  const res = await agent.get('/api/v1/session').expect(200);
  return res.body.csrfToken as string;
}

/** The `_csrf` value of the first form on a page. */
export function formToken(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no _csrf field on the page');
  return match[1];
}

/** The session cookie's Set-Cookie line of a response, if any. */
export function sessionCookie(res: request.Response): string | undefined {
  const header = res.headers['set-cookie'] as unknown as string[] | undefined;
  return header?.find((line) => line.startsWith('mh.sid='));
}

/** The session id in a Set-Cookie line (the part before the signature). */
export function sessionIdOf(cookieLine: string | undefined): string | undefined {
  const value = cookieLine ? decodeURIComponent(cookieLine.split(';')[0].slice('mh.sid='.length)) : undefined;
  return value?.startsWith('s:') ? value.slice(2).split('.')[0] : value;
}

export const alice = { username: 'alice', email: 'alice@example.com', password: 'correct horse battery' };

/** Signs up over the API with a fresh agent; returns the agent (logged in) and its current CSRF token. */
export async function signedUp(app: Express, user = alice): Promise<{ agent: request.Agent; token: string; id: string }> {
  const agent = request.agent(app);
  const token = await apiToken(agent);
  const res = await agent.post('/api/v1/users').set('X-CSRF-Token', token).send(user).expect(201);
  return { agent, token: res.body.csrfToken as string, id: res.body.id as string };
}

/** Signs `user` up, grants the account admin rights as `npm run admin -- grant` does, and logs in again (the session keeps the role). */
export async function signedUpAdmin(app: Express, store: Store, user = alice): Promise<{ agent: request.Agent; token: string; id: string }> {
  const { id } = await signedUp(app, user);
  await runAdminCommand(['grant', user.username], store);
  const agent = request.agent(app);
  const anonymousToken = await apiToken(agent);
  const res = await agent.post('/api/v1/session').set('X-CSRF-Token', anonymousToken).send(user).expect(200);
  return { agent, token: res.body.csrfToken as string, id };
}
