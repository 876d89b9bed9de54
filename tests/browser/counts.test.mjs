// Counts on a listing page of another site, with Tribune's default
// configuration: no `server.cors_origins`. The public reads answer any site
// (`Access-Control-Allow-Origin: *`); nothing else does.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTribune, startSite, launch } from './harness.mjs';

let tribune;
let site;
let browser;

before(async () => {
  const pages = {};
  site = await startSite(pages);
  // No TRIBUNE_SERVER__CORS_ORIGINS: the site is listed nowhere.
  tribune = await startTribune();
  for (const key of ['une', 'deux', 'vide']) {
    await tribune.ok('POST', '/admin/articles', tribune.admin, { key, title: `Article ${key}` });
  }
  const reader = await tribune.register('lectrice');
  for (let i = 1; i <= 3; i++) {
    await tribune.ok('POST', '/articles/une/comments', reader.token, { body: `Avis numéro ${i}` });
  }
  await tribune.ok('POST', '/articles/deux/comments', reader.token, { body: 'Un seul avis' });
  Object.assign(pages, {
    '/listing': `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>À la une</title></head><body>
<ul><li>Une <span data-tribune-count="une"></span></li>
<li>Deux <span data-tribune-count="deux"></span></li>
<li>Vide <span data-tribune-count="vide"></span></li></ul>
<script src="${tribune.origin}/embed.js" async></script></body></html>`,
    '/blank': '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Vide</title></head><body></body></html>',
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.stop();
  tribune?.stop();
});

test('a listing page on another origin shows its counts with the default configuration', async () => {
  assert.notEqual(new URL(site.origin).origin, new URL(tribune.origin).origin);
  const context = await browser.newContext();
  const page = await context.newPage();
  const blocked = [];
  page.on('console', (m) => { if (/CORS|Access-Control/i.test(m.text())) blocked.push(m.text()); });
  await page.goto(site.origin + '/listing');
  await page.waitForFunction(
    () => [...document.querySelectorAll('[data-tribune-count]')].every((s) => s.textContent),
    null, { timeout: 30000 });
  const texts = await page.locator('[data-tribune-count]').allInnerTexts();
  assert.match(texts[0], /3/);
  assert.match(texts[1], /1/);
  assert.match(texts[2], /pas de commentaires/i);
  assert.deepEqual(blocked, []);
  await context.close();
});

test('another site reads the public reads, and nothing else', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(site.origin + '/blank');
  const read = (url) => page.evaluate(async (u) => {
    try {
      const res = await fetch(u, { headers: { 'Accept-Language': 'ar' } });
      return { status: res.status, body: await res.json() };
    } catch (e) {
      return { blocked: String(e) };
    }
  }, url);
  const api = tribune.origin + '/api/v1';
  const counts = await read(api + '/counts?articles=une,deux');
  assert.deepEqual(counts.body.counts, { une: 3, deux: 1 });
  assert.equal((await read(api + '/articles/une')).status, 200);
  const thread = await read(api + '/articles/une/comments');
  assert.equal(thread.body.comments.length, 3);
  assert.equal((await read(api + '/i18n/ar')).body.locale, 'ar');
  // A comment by its id is not a public read: the browser keeps it from the page.
  const id = thread.body.comments[0].id;
  assert.ok((await read(`${api}/comments/${id}`)).blocked, 'GET /comments/{id} from another site');
  // Nor is writing: the preflight is refused.
  const post = await page.evaluate(async (u) => {
    try {
      await fetch(u, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"body": "x"}' });
      return 'sent';
    } catch (e) {
      return 'blocked';
    }
  }, api + '/articles/une/comments');
  assert.equal(post, 'blocked');
  await context.close();
});
