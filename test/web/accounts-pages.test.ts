import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { alice, formToken, makeApp, sessionCookie, sessionIdOf, signedUp, type TestApp } from './support.js';

/** The text of the field-error paragraph for `field`, or undefined. */
function fieldError(html: string, field: string): string | undefined {
  return new RegExp(`<p class="field-error" id="${field}-error">([^<]*)</p>`).exec(html)?.[1];
}

describe('account pages', () => {
  let t: TestApp;
  before(async () => {
    t = await makeApp();
  });
  after(() => t.close());

  test('sign up → the picker, home shows the user → log out → log in, all through forms', async () => {
    const agent = request.agent(t.app);
    const signupPage = await agent.get('/signup').expect(200).expect('Content-Type', /html/);
    assert.match(signupPage.text, /<label for="username">/);
    assert.match(signupPage.text, /<label for="email">/);
    assert.match(signupPage.text, /<label for="password">/);

    const created = await agent
      .post('/signup')
      .type('form')
      .send({ _csrf: formToken(signupPage.text), username: 'Heidi', email: 'heidi@example.com', password: 'secret secret' })
      .expect(303)
      .expect('Location', '/picks');
    assert.ok(sessionCookie(created));

    const picker = await agent.get('/picks').expect(200);
    assert.match(picker.text, /Welcome to MovieHunter, Heidi!/, 'the notice shows once after the redirect');
    const home = await agent.get('/').expect(200);
    assert.match(home.text, /<span class="username">Heidi<\/span>/);
    const homeAgain = await agent.get('/').expect(200);
    assert.doesNotMatch(homeAgain.text, /Welcome to MovieHunter/);

    await agent.post('/logout').type('form').send({ _csrf: formToken(homeAgain.text) }).expect(303).expect('Location', '/');
    const loggedOut = await agent.get('/').expect(200);
    assert.match(loggedOut.text, /You are logged out\./);
    assert.doesNotMatch(loggedOut.text, /class="username"/);

    const loginPage = await agent.get('/login').expect(200);
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: formToken(loginPage.text), username: 'heidi', password: 'secret secret' })
      .expect(303);
    assert.match((await agent.get('/').expect(200)).text, /<span class="username">Heidi<\/span>/);
  });

  test('invalid fields show their message next to the field, and the values typed are kept (not the password)', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/signup');
    const res = await agent
      .post('/signup')
      .type('form')
      .send({ _csrf: formToken(page.text), username: 'x', email: 'nope<script>', password: 'hunter2-but-long-enough-to-pass' })
      .expect(400);
    assert.equal(fieldError(res.text, 'username'), 'Use at least 3 characters.');
    assert.equal(fieldError(res.text, 'email'), 'Enter a valid email address.');
    assert.equal(fieldError(res.text, 'password'), undefined);
    assert.match(res.text, /id="username"[^>]*aria-invalid="true"/s);
    assert.match(res.text, /value="nope&lt;script&gt;"/, 'what the user typed comes back escaped');
    assert.doesNotMatch(res.text, /hunter2/);
  });

  test('a taken username is shown next to the username field', async () => {
    await signedUp(t.app, { ...alice, username: 'ivan' });
    const agent = request.agent(t.app);
    const page = await agent.get('/signup');
    const res = await agent
      .post('/signup')
      .type('form')
      .send({ _csrf: formToken(page.text), username: 'IVAN', email: 'ivan2@example.com', password: 'long enough' })
      .expect(409);
    assert.equal(fieldError(res.text, 'username'), 'That username is taken.');
  });

  test('a failed log-in shows one message, the same for a wrong password and an unknown user', async () => {
    await signedUp(t.app, { ...alice, username: 'judy' });
    const agent = request.agent(t.app);
    const page = await agent.get('/login');
    const token = formToken(page.text);
    const wrong = await agent.post('/login').type('form').send({ _csrf: token, username: 'judy', password: 'wrong wrong' }).expect(401);
    const unknown = await agent.post('/login').type('form').send({ _csrf: token, username: 'nobody', password: 'wrong wrong' }).expect(401);
    const message = (html: string) => /<p class="form-error" role="alert">([^<]*)<\/p>/.exec(html)?.[1];
    assert.equal(message(wrong.text), 'Wrong username or password.');
    assert.equal(message(unknown.text), message(wrong.text));
  });

  test('logging in through the form moves the session to a new id', async () => {
    await signedUp(t.app, { ...alice, username: 'ken' });
    const agent = request.agent(t.app);
    const page = await agent.get('/login');
    const before = sessionIdOf(sessionCookie(page));
    assert.ok(before);
    const res = await agent.post('/login').type('form').send({ _csrf: formToken(page.text), username: 'ken', password: alice.password }).expect(303);
    const after = sessionIdOf(sessionCookie(res));
    assert.ok(after);
    assert.notEqual(after, before);
  });

  test('the stylesheet is served and the home page needs no session', async () => {
    const css = await request(t.app).get('/static/app.css').expect(200).expect('Content-Type', /css/);
    assert.match(css.text, /:focus-visible/);
    const home = await request(t.app).get('/').expect(200);
    assert.equal(sessionCookie(home), undefined);
    assert.match(home.text, /href="\/static\/app.css"/);
  });
});
