import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { localPath } from '../../src/web/local-path.js';
import { alice, formToken, makeApp, signedUp, type TestApp } from './support.js';

describe('account flows', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp();
    await signedUp(t.app, alice);
  });
  after(() => t.close());

  /** Logs alice in through the log-in page reached at `loginUrl`; returns where the form sends her. */
  async function logInFrom(loginUrl: string, nextField?: string): Promise<string> {
    const agent = request.agent(t.app);
    const page = await agent.get(loginUrl).expect(200);
    const next = nextField ?? /name="next" value="([^"]*)"/.exec(page.text)?.[1];
    const form: Record<string, string> = { _csrf: formToken(page.text), username: alice.username, password: alice.password };
    if (next !== undefined) form.next = next.replace(/&amp;/g, '&');
    const res = await agent.post('/login').type('form').send(form).expect(303);
    return res.headers.location;
  }

  test('a page that needs an account sends the visitor to log in, and logging in comes back to that page', async () => {
    const sent = await request(t.app).get('/recommendations/quick?x=1&y=2').expect(303);
    assert.equal(sent.headers.location, '/login?next=%2Frecommendations%2Fquick%3Fx%3D1%26y%3D2');
    const page = await request(t.app).get(sent.headers.location as string).expect(200);
    // "Log in to continue" is information, not a success.
    assert.match(page.text, /<p class="notice notice-info" role="status">[^]*Log in to continue/);
    assert.doesNotMatch(page.text, /<p class="notice" role="status">/);
    assert.equal(await logInFrom(sent.headers.location as string), '/recommendations/quick?x=1&y=2');
    // Straight to the log-in page: home afterwards, and no "log in to continue".
    assert.doesNotMatch((await request(t.app).get('/login').expect(200)).text, /Log in to continue/);
    assert.equal(await logInFrom('/login'), '/');
  });

  test('never an open redirect: another site, a scheme-relative or backslash address as next is refused', async () => {
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'evil.example', '/\r\nSet-Cookie:x', ' /picks']) {
      const page = await request(t.app).get(`/login?next=${encodeURIComponent(next)}`).expect(200);
      assert.doesNotMatch(page.text, /name="next"/, next);
      assert.equal(await logInFrom('/login', next), '/', `the form's next ${JSON.stringify(next)}`);
    }
    assert.equal(localPath('/picks?q=a'), '/picks?q=a');
    assert.equal(localPath('/%2F%2Fevil.example'), '/%2F%2Fevil.example', 'an encoded slash stays a path here');
    assert.equal(localPath('https://evil.example'), null);
    assert.equal(localPath('//evil.example'), null);
    assert.equal(localPath('/\\evil.example'), null);
    assert.equal(localPath('/\tevil'), null);
  });

  test('a logged-in user is sent away from /login and /signup', async () => {
    const { agent } = await signedUp(t.app, { username: 'lena', email: 'lena@example.com', password: 'lena password' });
    await agent.get('/login').expect(303).expect('Location', '/');
    await agent.get('/signup').expect(303).expect('Location', '/');
    await agent.get('/login?next=%2Fpicks').expect(303).expect('Location', '/picks');
    await agent.get('/login?next=https%3A%2F%2Fevil.example').expect(303).expect('Location', '/');
  });

  test('a favicon: an SVG under /static, linked from every page', async () => {
    const icon = await request(t.app).get('/static/favicon.svg').expect(200).expect('Content-Type', /image\/svg\+xml/);
    assert.match(String(icon.body), /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    for (const path of ['/', '/login', '/no-such-page']) {
      const page = await request(t.app).get(path);
      assert.match(page.text, /<link rel="icon" href="\/static\/favicon.svg" type="image\/svg\+xml">/, path);
    }
  });
});
