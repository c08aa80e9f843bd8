import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import express, { type Request } from 'express';
import request from 'supertest';
import { requireUserApi, requireUserPage } from '../../src/web/middleware/auth.js';
import { handleErrors } from '../../src/web/middleware/errors.js';

/** A bare app whose session is a plain object (logged in when the X-As header names a user), then the guards. */
function guardedApp(seen: Record<string, unknown>[]) {
  const app = express();
  app.use((req, _res, next) => {
    const as = req.get('x-as');
    const session = as ? { userId: 'u1', username: as } : {};
    seen.push(session);
    (req as unknown as { session: unknown }).session = session;
    next();
  });
  app.get('/api/v1/me/thing', requireUserApi, (req: Request, res) => {
    res.json({ username: req.session.username });
  });
  app.get('/thing', requireUserPage, (_req, res) => {
    res.send('inside');
  });
  app.use(handleErrors);
  return app;
}

describe('guards for logged-in routes (used by later routes)', () => {
  test('the API answers 401 in the error shape to a visitor and lets a logged-in user through', async () => {
    const app = guardedApp([]);
    const denied = await request(app).get('/api/v1/me/thing').expect(401);
    assert.equal(denied.body.error.code, 'unauthenticated');
    assert.deepEqual((await request(app).get('/api/v1/me/thing').set('X-As', 'alice').expect(200)).body, { username: 'alice' });
  });

  test('pages send a visitor to the log-in page, which comes back to the page asked for; nothing is written to the session', async () => {
    const seen: Record<string, unknown>[] = [];
    const app = guardedApp(seen);
    await request(app).get('/thing?x=1').expect(303).expect('Location', '/login?next=%2Fthing%3Fx%3D1');
    assert.deepEqual(seen[0], {});
    assert.equal((await request(app).get('/thing').set('X-As', 'alice').expect(200)).text, 'inside');
  });
});
