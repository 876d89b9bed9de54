// Reactions, sorting by them, editors' picks and moderators' notes in
// Chromium: the reader's widget in French and Arabic, and the console.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTribune, startSite, articlePage, launch, widget, axe, shotPath, PASSWORD } from './harness.mjs';

let tribune;
let site;
let browser;
let moderator;
let writer;
const threads = {};

const LANGS = {
  fr: { reaction: 'Pertinent', picks: 'Sélection de la rédaction', sort: 'Trier',
    register: 'Créer un compte', username: "Nom d'utilisateur", email: 'Adresse e-mail', password: 'Mot de passe' },
  ar: { reaction: 'مفيد', picks: 'اختيارات المحرر', sort: 'الترتيب',
    register: 'إنشاء حساب', username: 'اسم المستخدم', email: 'البريد الإلكتروني', password: 'كلمة المرور' },
};

before(async () => {
  const pages = {};
  site = await startSite(pages);
  tribune = await startTribune();
  moderator = await tribune.register('modo');
  await tribune.ok('PATCH', `/admin/users/${moderator.id}`, tribune.admin, { role: 'moderator' });
  writer = await tribune.register('plume');
  const fans = [await tribune.register('fan1'), await tribune.register('fan2')];
  for (const lang of Object.keys(LANGS)) {
    const key = `talk-${lang}`;
    await tribune.ok('POST', '/admin/articles', tribune.admin, { key, title: `Article ${key}` });
    const ids = [];
    for (const text of ['Premier avis, sans plus', 'Un témoignage du terrain, précieux', 'Troisième remarque']) {
      // Distinct texts per article: the same text twice in a day is held as a duplicate.
      ids.push((await tribune.ok('POST', `/articles/${key}/comments`, writer.token, { body: `${text} (${lang})` })).id);
    }
    // The second comment is marked twice and is the editors' pick.
    for (const fan of fans) await tribune.ok('PUT', `/comments/${ids[1]}/reaction`, fan.token);
    await tribune.ok('POST', `/mod/comments/${ids[1]}/feature`, moderator.token);
    threads[lang] = ids;
    pages[`/${lang}`] = articlePage(tribune, { key, lang });
    pages[`/${lang}-dark`] = articlePage(tribune, { key, lang, theme: 'dark' });
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.stop();
  tribune?.stop();
});

async function open(path, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) errors.push(m.text()); });
  await page.goto(site.origin + path);
  const frame = await widget(page);
  return { context, page, frame, errors };
}

async function register(frame, S, name) {
  await frame.getByRole('button', { name: S.register }).first().click();
  const form = frame.locator('#t-register');
  await form.getByLabel(S.username).fill(name);
  await form.getByLabel(S.email).fill(`${name}@example.com`);
  await form.getByLabel(S.password).fill(PASSWORD);
  await frame.locator('#t-register button[type=submit]').click();
  await frame.waitForSelector('#t-compose:not([hidden])', { timeout: 5000 });
}

const topIds = (frame) => frame.locator('#t-thread > .t-c')
  .evaluateAll((lis) => lis.map((li) => Number(li.dataset.id)));

for (const [lang, S] of Object.entries(LANGS)) {
  test(`(${lang}) picks first, a reader marks and unmarks, sorts by top, and the sort lasts the session`, async () => {
    const ids = threads[lang];
    const { context, page, frame, errors } = await open(`/${lang}`, { viewport: { width: 760, height: 1000 } });
    // The editors' pick, above the thread, under its heading.
    const picks = frame.getByRole('region', { name: S.picks });
    await picks.waitFor();
    assert.match(await picks.innerText(), /témoignage du terrain/);
    assert.equal(await picks.locator('.t-pick').count(), 1);
    // Anonymous readers see the count, no button.
    assert.equal(await frame.locator(`#c-${ids[1]} button.t-r`).count(), 0);
    assert.match(await frame.locator(`#c-${ids[1]} .t-r`).innerText(), new RegExp(`${S.reaction}\\s+2`));

    await register(frame, S, `lectrice_${lang}`);
    const toggle = frame.locator(`#c-${ids[0]}`).getByRole('button', { name: new RegExp(S.reaction) });
    assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
    await toggle.click();
    await frame.waitForFunction((id) => document.querySelector(`#c-${id} button.t-r`)?.getAttribute('aria-pressed') === 'true', ids[0]);
    assert.match(await toggle.innerText(), /1/);
    assert.equal((await tribune.ok('GET', `/comments/${ids[0]}`)).reactions, 1);
    await frame.locator(`#c-${ids[0]} button.t-r`).focus();
    await frame.locator(`#c-${ids[0]} .t-c-actions`).screenshot({ path: shotPath(`talk-pressed-${lang}.png`) });
    await toggle.click();
    await frame.waitForFunction((id) => document.querySelector(`#c-${id} button.t-r`)?.getAttribute('aria-pressed') === 'false', ids[0]);
    assert.equal((await tribune.ok('GET', `/comments/${ids[0]}`)).reactions, 0);

    // Sorted by what readers found insightful: the pick (2 marks) first, then newest.
    await frame.getByLabel(S.sort, { exact: true }).selectOption('top');
    await frame.waitForFunction((first) => Number(document.querySelector('#t-thread > .t-c')?.dataset.id) === first, ids[1]);
    assert.deepEqual(await topIds(frame), [ids[1], ids[2], ids[0]]);
    // Marked by this reader now: it rises on the next load.
    await frame.locator(`#c-${ids[0]}`).getByRole('button', { name: new RegExp(S.reaction) }).click();
    await frame.waitForFunction((id) => document.querySelector(`#c-${id} button.t-r`)?.getAttribute('aria-pressed') === 'true', ids[0]);

    // No script error nor CSP refusal so far (axe's own injection is refused by the CSP, and retried).
    assert.deepEqual(errors, []);
    assert.deepEqual(await axe(frame).then((v) => v.map((x) => x.id)), []);
    await frame.locator('body').screenshot({ path: shotPath(`talk-${lang}.png`) });

    // A reload keeps the sort (sessionStorage) and the reader's mark.
    // The sort lasts the session where the widget may keep storage: here the
    // widget opened first-party (this browser blocks a third-party frame's
    // storage, and the choice then lasts until a reload: see below).
    const direct = await context.newPage();
    await direct.goto(`${tribune.origin}/embed/talk-${lang}?lang=${lang}`);
    await direct.waitForSelector('#tribune[data-ready="true"]');
    await direct.locator('#t-sort').selectOption('top');
    await direct.waitForFunction(() => sessionStorage.getItem('tribune-sort') === 'top');
    await direct.reload();
    await direct.waitForSelector('#tribune[data-ready="true"]');
    assert.equal(await direct.locator('#t-sort').inputValue(), 'top');
    // Anonymous there, ordered by the counts: the pick (2), the reader's mark (1), none.
    await direct.waitForFunction((first) => Number(document.querySelector('#t-thread > .t-c')?.dataset.id) === first, ids[1]);
    assert.deepEqual(await topIds(direct), [ids[1], ids[0], ids[2]]);
    await tribune.ok('DELETE', `/comments/${ids[0]}/reaction`, (await tribune.login(`lectrice_${lang}`)));
    await context.close();
  });

  test(`(${lang}) dark and phone screenshots of the picks, axe clean`, async () => {
    const dark = await open(`/${lang}-dark`, { viewport: { width: 760, height: 900 } });
    await dark.frame.getByRole('region', { name: S.picks }).waitFor();
    assert.deepEqual(await axe(dark.frame).then((v) => v.map((x) => x.id)), []);
    await dark.frame.locator('body').screenshot({ path: shotPath(`talk-${lang}-dark.png`) });
    await dark.context.close();
    const phone = await open(`/${lang}`, { viewport: { width: 360, height: 740 } });
    await phone.frame.getByRole('region', { name: S.picks }).waitFor();
    const overflow = await phone.frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
    await phone.page.screenshot({ path: shotPath(`talk-phone-${lang}.png`), fullPage: true });
    await phone.context.close();
  });
}

test('the sort falls back to memory when storage is blocked', async () => {
  const context = await browser.newContext();
  // Every storage access throws, as with third-party storage blocked.
  await context.addInitScript(() => {
    for (const name of ['sessionStorage', 'localStorage']) {
      Object.defineProperty(window, name, { get() { throw new DOMException('blocked', 'SecurityError'); } });
    }
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(site.origin + '/fr');
  const frame = await widget(page);
  await frame.getByLabel('Trier', { exact: true }).selectOption('top');
  await frame.waitForFunction((first) => Number(document.querySelector('#t-thread > .t-c')?.dataset.id) === first, threads.fr[1]);
  assert.deepEqual(errors, []);
  await context.close();
});

async function signIn(page, name) {
  await page.goto(`${tribune.origin}/console/?lang=fr`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.locator('#k-login').fill(name);
  await page.locator('#k-password').fill(PASSWORD);
  await page.locator('#k-sign-in button[type=submit]').click();
}

test('console: f features a reported comment, and notes show on the user page and the queue', async () => {
  const ids = threads.fr;
  const reporter = await tribune.register('vigilant');
  await tribune.ok('POST', `/comments/${ids[2]}/reports`, reporter.token, { reason: 'other' });
  await tribune.ok('POST', `/mod/users/${writer.id}/notes`, tribune.admin, { text: 'Déjà averti une fois' });
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  await signIn(page, 'modo');
  await page.locator('[data-view="reported"]').click();
  const item = page.locator('.k-item', { hasText: 'Troisième remarque' });
  await item.waitFor();
  assert.match(await item.locator('.k-note-count').innerText(), /Notes : 1/);
  await item.focus();
  await page.keyboard.press('f');
  await page.locator('.k-item', { hasText: 'Troisième remarque' }).locator('.k-featured').waitFor();
  assert.equal((await tribune.ok('GET', `/comments/${ids[2]}`)).featured, true);
  await page.locator('.k-item', { hasText: 'Troisième remarque' }).focus();
  await page.keyboard.press('f');
  await page.waitForFunction(() => !document.querySelector('.k-item .k-featured'));
  assert.equal((await tribune.ok('GET', `/comments/${ids[2]}`)).featured, false);

  // The author's page: the admin's note, then one added from the form.
  await page.locator('.k-item', { hasText: 'Troisième remarque' }).getByRole('button', { name: 'plume' }).click();
  const notes = page.getByRole('region', { name: 'Notes des modérateurs' });
  await notes.getByText('Déjà averti une fois').waitFor();
  await notes.getByLabel(/Nouvelle note/).fill('Ton plus calme depuis');
  await notes.getByRole('button', { name: 'Ajouter la note' }).click();
  await page.getByRole('region', { name: 'Notes des modérateurs' }).getByText('Ton plus calme depuis').waitFor();
  const listed = await tribune.ok('GET', `/mod/users/${writer.id}/notes`, moderator.token);
  assert.deepEqual(listed.notes.map((n) => n.text), ['Ton plus calme depuis', 'Déjà averti une fois']);
  // Only the moderator's own note offers removal.
  assert.equal(await page.locator('.k-note').nth(0).getByRole('button').count(), 1);
  assert.equal(await page.locator('.k-note').nth(1).getByRole('button').count(), 0);
  assert.deepEqual(await axe(page).then((v) => v.map((x) => x.id)), []);
  await page.screenshot({ path: shotPath('talk-console-notes.png'), fullPage: true });
  await context.close();
});
