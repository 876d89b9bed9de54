// Sign-in with an OpenID provider in Chromium: the widget's button opens the
// provider in a popup (a real one: oidc-provider from npm, tests/oidc/,
// installed by .ci/browser.sh), the reader signs in there, and the popup's
// last page hands the session to the widget's frame, which then posts. The
// host page never sees the session.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startTribune, startSite, articlePage, launch, widget, repo, freePort } from './harness.mjs';

let provider;
let tribune;
let site;
let browser;

/** The provider knows Tribune's callbacks, Tribune the provider's issuer. */
async function startProvider(tribuneOrigin) {
  const child = spawn('node', ['provider.js'], {
    cwd: join(repo, 'tests', 'oidc'),
    env: { ...process.env, TRIBUNE_URL: tribuneOrigin },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise((ok, fail) => {
    lines.once('line', ok);
    child.once('exit', (code) => fail(new Error(`the provider stopped (${code})`)));
  });
  lines.on('line', () => {});
  return { issuer: JSON.parse(first).issuer, stop: () => child.kill('SIGTERM') };
}

before(async () => {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  provider = await startProvider(origin);
  tribune = await startTribune({
    TRIBUNE_SERVER__PUBLIC_URL: origin,
    TRIBUNE_OIDC__PROVIDERS: `idp|Le Journal|${provider.issuer}|tribune|tribune-secret`,
  }, { port });
  for (const key of ['oidc-fr', 'oidc-ar']) {
    await tribune.ok('POST', '/admin/articles', tribune.admin, { key, title: `Article ${key}` });
  }
  site = await startSite({
    '/fr': articlePage(tribune, { key: 'oidc-fr', lang: 'fr' }),
    '/ar': articlePage(tribune, { key: 'oidc-ar', lang: 'ar' }),
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.stop();
  tribune?.stop();
  provider?.stop();
});

test('the OpenID popup signs the widget in, and the reader posts', async () => {
  const page = await browser.newPage();
  const bearers = [];
  page.on('request', (req) => {
    const auth = req.headers().authorization;
    if (auth?.startsWith('Bearer ')) bearers.push(auth.slice(7));
  });
  await page.goto(site.origin + '/fr');
  const frame = await widget(page);
  const button = frame.locator('.t-oidc-button');
  assert.match(await button.textContent(), /^Se connecter avec \u2068?Le Journal\u2069?$/);

  const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()]);
  await popup.waitForSelector('input[name=login]');
  await popup.fill('input[name=login]', 'lina-42');
  await popup.fill('input[name=email]', 'lina@example.ma');
  await popup.fill('input[name=name]', 'Lina Benali');
  await Promise.all([popup.waitForEvent('close'), popup.click('button[type=submit]')]);

  await frame.waitForSelector('#t-me:not([hidden])', { timeout: 10000 });
  assert.match(await frame.locator('#t-me-label').innerText(), /Lina Benali/);
  const text = 'Un avis après une connexion OpenID.';
  await frame.locator('#t-body').fill(text);
  await frame.locator('#t-compose button[type=submit]').click();
  await frame.locator('.t-c', { hasText: text }).waitFor({ timeout: 10000 });
  const thread = await tribune.ok('GET', '/articles/oidc-fr/comments');
  const posted = thread.comments.find((c) => c.body === text);
  assert.equal(posted.author.display_name, 'Lina Benali');

  // The session lives in the frame (in its memory where storage is blocked,
  // as here); the host page holds nothing of it.
  const token = bearers.at(-1);
  assert.ok(token && token.length > 20, 'the frame sends its session');
  const seen = await page.evaluate(() => JSON.stringify({
    html: document.documentElement.outerHTML,
    storage: { ...localStorage },
    cookies: document.cookie,
    url: location.href,
  }));
  assert.ok(!seen.includes(token), 'the host page cannot read the session');
  await page.close();
});

test('the button is in Arabic on an Arabic page', async () => {
  const page = await browser.newPage();
  await page.goto(site.origin + '/ar');
  const frame = await widget(page);
  assert.match(await frame.locator('.t-oidc-button').textContent(), /^تسجيل الدخول عبر \u2068?Le Journal\u2069?$/);
  assert.equal(await frame.getAttribute('html', 'dir'), 'rtl');
  await page.close();
});
