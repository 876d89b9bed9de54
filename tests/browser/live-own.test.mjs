// The reader's own comments in the live stream: a comment or a reply the
// reader just posted is never announced as new, whether the POST's answer
// or the stream's event reaches the widget first.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTribune, startSite, articlePage, launch, widget } from './harness.mjs';

let tribune;
let site;
let browser;

// `slow`: the POST's answer is held back 1.5 s, so the event comes first;
// `plain`: whichever comes first on its own.
const MODES = { slow: 1500, plain: 0 };

before(async () => {
  const pages = {};
  site = await startSite(pages);
  tribune = await startTribune();
  for (const mode of Object.keys(MODES)) {
    const key = `own-${mode}`;
    await tribune.ok('POST', '/admin/articles', tribune.admin, { key, title: `Article ${key}` });
    pages[`/${key}`] = articlePage(tribune, { key, lang: 'fr' });
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.stop();
  tribune?.stop();
});

async function register(frame, name) {
  await frame.getByRole('button', { name: 'Créer un compte' }).first().click();
  const form = frame.locator('#t-register');
  await form.getByLabel("Nom d'utilisateur").fill(name);
  await form.getByLabel('Adresse e-mail').fill(`${name}@example.com`);
  await form.getByLabel('Mot de passe').fill('a long password');
  await frame.locator('#t-register button[type=submit]').click();
  await frame.waitForSelector('#t-compose:not([hidden])', { timeout: 5000 });
}

/**
 * Records, in the frame, every text the "new comments" button shows, and
 * when the stream (a second connection to it) brings each comment.
 */
async function watch(frame, key) {
  await frame.evaluate((key) => {
    window.shownNotices = [];
    const button = document.getElementById('t-new');
    new MutationObserver(() => {
      if (!button.hidden) window.shownNotices.push(button.textContent);
    }).observe(button, { attributes: true, childList: true, characterData: true, subtree: true });
    window.eventAt = {};
    const source = new EventSource(`/api/v1/articles/${encodeURIComponent(key)}/events`);
    source.addEventListener('comment', (e) => { window.eventAt[JSON.parse(e.data).id] = Date.now(); });
    return new Promise((ok) => source.addEventListener('open', ok));
  }, key);
}

for (const [mode, delay] of Object.entries(MODES)) {
  test(`(${mode}) a comment and a reply the reader posts are never announced as new`, async () => {
    const key = `own-${mode}`;
    const context = await browser.newContext();
    const answeredAt = {};
    await context.route('**/api/v1/articles/*/comments', async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      const response = await route.fetch();
      const body = await response.json();
      await new Promise((r) => setTimeout(r, delay));
      answeredAt[body.id] = Date.now();
      await route.fulfill({ response });
    });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${site.origin}/${key}`);
    const frame = await widget(page);
    await register(frame, `lectrice_${mode}`);
    await frame.waitForSelector('#tribune[data-live="open"]');
    await watch(frame, key);

    await frame.getByLabel('Votre commentaire…', { exact: true }).fill(`Mon avis (${mode})`);
    await frame.getByRole('button', { name: 'Poster commentaire', exact: true }).click();
    const mine = frame.locator('.t-c', { hasText: `Mon avis (${mode})` });
    await mine.waitFor({ timeout: 10000 });
    const id = Number(await mine.getAttribute('data-id'));

    await mine.getByRole('button', { name: 'Répondre', exact: true }).click();
    const form = mine.locator('form');
    await form.locator('textarea').fill(`Je précise (${mode})`);
    await form.locator('button[type=submit]').click();
    const reply = mine.locator('.t-replies > .t-c', { hasText: `Je précise (${mode})` });
    await reply.waitFor({ timeout: 10000 });
    const replyId = Number(await reply.getAttribute('data-id'));

    // Both events came through the stream.
    await frame.waitForFunction((ids) => ids.every((i) => window.eventAt[i]), [id, replyId],
      { timeout: 10000 });
    if (delay > 0) {
      // The race this test is about: the event before the answer.
      const eventAt = await frame.evaluate(() => window.eventAt);
      for (const i of [id, replyId]) assert.ok(eventAt[i] < answeredAt[i], `${i}: ${eventAt[i]} ≥ ${answeredAt[i]}`);
    }
    // Someone else's comment, after the reader's in the same stream: once
    // the widget counts it, it has handled the reader's two events.
    const other = await tribune.register(`autre_${mode}`);
    const theirs = await tribune.ok('POST', `/articles/${key}/comments`, other.token,
      { body: `Un autre avis (${mode})` });
    await frame.waitForFunction(() => !document.getElementById('t-new').hidden, null, { timeout: 10000 });
    assert.equal(await frame.locator('#t-new').textContent(), '1 nouveau commentaire');
    const notices = await frame.evaluate(() => window.shownNotices);
    assert.ok(notices.length > 0 && notices.every((n) => n === '1 nouveau commentaire'), JSON.stringify(notices));

    await frame.locator('#t-new').click();
    await frame.locator(`#c-${theirs.id}`).waitFor();
    for (const i of [id, replyId, theirs.id]) assert.equal(await frame.locator(`#c-${i}`).count(), 1);
    assert.equal(await frame.locator('#t-new').isHidden(), true);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
