/**
 * The Cloud Scheduler target refuses every caller but the scheduler's service account, with tokens signed here by a
 * test key (the same RS256 JWTs Google issues): 401 for no, malformed, forged or expired tokens, 403 for genuine
 * tokens meant for someone else, and the tick runs only for the right one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSign, generateKeyPairSync } from 'node:crypto';
import express from 'express';
import request from 'supertest';
import { createLogger } from '../../src/log.js';
import type { TickReport } from '../../src/pipeline/tick.js';
import { verifyCaller } from '../../jobs/oidc.js';
import { createTickHandler } from '../../jobs/tick-handler.js';

const AUDIENCE = 'https://europe-west1-movie-hunter.cloudfunctions.net/moviehunter-tick';
const INVOKER = 'scheduler@movie-hunter.iam.gserviceaccount.com';
const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const certs = async () => ({ 'test-key': key.publicKey.export({ type: 'spki', format: 'pem' }).toString() });

function token(claims: Record<string, unknown> = {}, signWith = key.privateKey, kid = 'test-key'): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: 'https://accounts.google.com', aud: AUDIENCE, email: INVOKER, email_verified: true, sub: '1234', iat: now, exp: now + 3600, ...claims };
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const body = `${encode({ alg: 'RS256', typ: 'JWT', kid })}.${encode(payload)}`;
  return `${body}.${createSign('RSA-SHA256').update(body).sign(signWith).toString('base64url')}`;
}

const report: TickReport = { skipped: null, finished: [], running: [], started: null, problems: [] };

function app(tick = async () => report) {
  let ticks = 0;
  const server = express();
  server.all('/', createTickHandler({
    verify: (authorization) => verifyCaller(authorization, { audience: AUDIENCE, invoker: INVOKER, certs }),
    tick: async () => {
      ticks++;
      return tick();
    },
    logger: createLogger({ NODE_ENV: 'test' }),
  }));
  return { server, ticks: () => ticks };
}

test('the scheduler\'s own token runs one tick and gets its report', async () => {
  const { server, ticks } = app();
  const res = await request(server).post('/').set('Authorization', `Bearer ${token()}`).expect(200);
  assert.deepEqual(res.body, report);
  assert.equal(ticks(), 1);
});

test('no, malformed, forged, expired or wrongly issued tokens are 401 and run nothing', async () => {
  const { server, ticks } = app();
  const now = Math.floor(Date.now() / 1000);
  const cases: [string, string | undefined][] = [
    ['no header', undefined],
    ['not a bearer token', 'Basic dXNlcjpwYXNz'],
    ['not a JWT', 'Bearer not-a-token'],
    ['signed by another key', `Bearer ${token({}, otherKey.privateKey)}`],
    ['an unknown key id', `Bearer ${token({}, key.privateKey, 'unknown-kid')}`],
    ['expired', `Bearer ${token({ iat: now - 7200, exp: now - 3600 })}`],
    ['issued by someone else', `Bearer ${token({ iss: 'https://evil.example.com' })}`],
  ];
  for (const [name, header] of cases) {
    const call = request(server).post('/');
    if (header !== undefined) call.set('Authorization', header);
    const res = await call;
    assert.equal(res.status, 401, name);
    assert.equal(res.body.error.code, 'unauthenticated', name);
    assert.equal(res.headers['www-authenticate'], 'Bearer', name);
    assert.ok(!JSON.stringify(res.body).includes('eyJ'), `${name}: the answer echoes the token`);
  }
  assert.equal(ticks(), 0);
});

test('genuine tokens for another audience or another account are 403 and run nothing', async () => {
  const { server, ticks } = app();
  for (const [name, claims] of [
    ['another audience', { aud: 'https://example.com/other-function' }],
    ['another service account', { email: 'someone@movie-hunter.iam.gserviceaccount.com' }],
    ['an unverified email', { email_verified: false }],
    ['no email at all', { email: undefined }],
  ] as const) {
    const res = await request(server).post('/').set('Authorization', `Bearer ${token(claims)}`);
    assert.equal(res.status, 403, name);
    assert.equal(res.body.error.code, 'forbidden', name);
  }
  assert.equal(ticks(), 0);
});

test('only POST; a failing tick is a 500 without details, safe to call again', async () => {
  const { server } = app(async () => {
    throw new Error('firestore: secret internals at /srv/app');
  });
  const get = await request(server).get('/').set('Authorization', `Bearer ${token()}`).expect(405);
  assert.equal(get.headers.allow, 'POST');
  const res = await request(server).post('/').set('Authorization', `Bearer ${token()}`).expect(500);
  assert.deepEqual(res.body, { error: { code: 'tick_failed', message: 'The tick failed; it is safe to call again.' } });
});
