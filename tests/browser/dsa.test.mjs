// The EU Digital Services Act in Chromium: a reader without an account
// notifies illegal content from the widget, in French and in Arabic; the
// moderator's desk shows the notices and the appeals, and decides them.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTribune, startSite, articlePage, launch, widget, axe, shotPath, PASSWORD } from './harness.mjs';

let tribune;
let site;
let browser;
let moderator;
let writer;

before(async () => {
  const pages = {};
  site = await startSite(pages);
  tribune = await startTribune();
  for (const key of ['dsa-fr', 'dsa-ar', 'dsa-appeal']) {
    await tribune.ok('POST', '/admin/articles', tribune.admin, { key, title: `Article ${key}` });
  }
  moderator = await tribune.register('modo');
  await tribune.ok('PATCH', `/admin/users/${moderator.id}`, tribune.admin, { role: 'moderator' });
  writer = await tribune.register('auteur');
  await tribune.ok('POST', '/articles/dsa-fr/comments', writer.token, { body: 'Untel est un escroc notoire' });
  await tribune.ok('POST', '/articles/dsa-ar/comments', writer.token, { body: 'فلان محتال معروف' });
  Object.assign(pages, {
    '/fr': articlePage(tribune, { key: 'dsa-fr', lang: 'fr' }),
    '/ar': articlePage(tribune, { key: 'dsa-ar', lang: 'ar', title: 'ميزانية 2027' }),
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.stop();
  tribune?.stop();
});

async function notifyFromTheWidget(path, strings, { category, explanation, name, email }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(site.origin + path);
  const frame = await widget(page);
  // No account: the button is there all the same, beside the comment.
  assert.equal(await frame.getByRole('button', { name: strings['comment-report'], exact: true }).count(), 0);
  await frame.getByRole('button', { name: strings['notice-open'] }).first().click();
  const form = frame.locator('form.t-notice');
  await form.getByLabel(strings['notice-category']).selectOption(category);
  // Without the good-faith box and an explanation long enough: refused, said at the fields.
  await form.getByLabel(strings['notice-explanation']).fill('Trop court');
  await form.getByRole('button', { name: strings['notice-send'] }).click();
  await form.locator('[data-error="good_faith"]').filter({ hasText: /\S/ }).waitFor();
  await form.locator('[data-error="explanation"]').filter({ hasText: /\S/ }).waitFor();
  assert.deepEqual(await axe(frame), []);
  await form.getByLabel(strings['notice-explanation']).fill(explanation);
  await form.getByLabel(strings['notice-name']).fill(name);
  await form.getByLabel(strings['notice-email']).fill(email);
  await form.getByLabel(strings['notice-good-faith']).check();
  await form.getByRole('button', { name: strings['notice-send'] }).click();
  await frame.getByText(strings['notice-sent']).waitFor();
  await page.screenshot({ path: shotPath(`dsa-notice-${path.slice(1)}.png`) });
  assert.deepEqual(errors, []);
  await context.close();
}

async function stringsOf(lang) {
  return (await tribune.ok('GET', `/i18n/${lang}`)).strings;
}

test('a reader without an account notifies illegal content in French and in Arabic', async () => {
  const fr = await stringsOf('fr');
  assert.equal(fr['notice-open'], 'Signaler un contenu illicite');
  await notifyFromTheWidget('/fr', fr, {
    category: 'illegal_or_harmful_speech',
    explanation: 'Ce commentaire diffame nommément une personne privée.',
    name: 'Samia Benali',
    email: 'samia@example.org',
  });
  const ar = await stringsOf('ar');
  assert.equal(ar['notice-open'], 'الإبلاغ عن محتوى غير قانوني');
  await notifyFromTheWidget('/ar', ar, {
    category: 'violence',
    explanation: 'هذا التعليق يتهم شخصا باسمه دون دليل.',
    name: 'سامية',
    email: 'samia.ar@example.org',
  });
  const { notices } = await tribune.ok('GET', '/mod/notices', tribune.admin);
  assert.deepEqual(notices.map((n) => [n.category, n.email, n.trusted_flagger]), [
    ['illegal_or_harmful_speech', 'samia@example.org', false],
    ['violence', 'samia.ar@example.org', false],
  ]);
});

async function signIn(page, name) {
  await page.goto(`${tribune.origin}/console/?lang=fr`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.locator('#k-login').fill(name);
  await page.locator('#k-password').fill(PASSWORD);
  await page.locator('#k-sign-in button[type=submit]').click();
  await page.locator('#k-desk').waitFor();
}

test("the desk's notices and appeals queues decide them", async () => {
  // A notice of its own, and an appeal against another moderator's decision.
  const comment = await tribune.ok('POST', '/articles/dsa-appeal/comments', writer.token, { body: 'Escroquerie en bande organisée' });
  await tribune.ok('POST', `/comments/${comment.id}/notices`, null, {
    category: 'scams_and_fraud', explanation: 'Ce commentaire accuse sans preuve une entreprise.',
    name: 'Karim', email: 'karim@example.org', good_faith: true,
  });
  const appealed = await tribune.ok('POST', '/articles/dsa-appeal/comments', writer.token, { body: 'Mon avis honnête' });
  await tribune.ok('POST', `/mod/comments/${appealed.id}/reject`, tribune.admin, { reason: 'hors sujet' });
  const { statements } = await tribune.ok('GET', '/me/statements', writer.token);
  const statement = statements.find((s) => s.comment?.id === appealed.id);
  await tribune.ok('POST', `/me/statements/${statement.id}/appeal`, writer.token, { text: 'Il respectait les règles.' });

  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'modo');
  await page.locator('[data-view="notices"]').click();
  const row = page.locator('#k-view tr', { hasText: 'Escroquerie en bande organisée' });
  await row.waitFor();
  await row.getByText('Arnaques et fraudes').waitFor();
  await page.screenshot({ path: shotPath('dsa-console-notices.png') });
  await row.getByRole('button', { name: 'Refuser' }).click();
  await row.waitFor({ state: 'detached' });
  assert.equal((await tribune.ok('GET', `/comments/${comment.id}`, tribune.admin)).status, 'rejected');
  const { statements: after } = await tribune.ok('GET', '/me/statements', writer.token);
  assert.equal(after.find((s) => s.comment?.id === comment.id).source, 'notice');

  await page.locator('[data-view="appeals"]').click();
  const appealRow = page.locator('#k-view tr', { hasText: 'Il respectait les règles.' });
  await appealRow.waitFor();
  await page.locator('#k-reason').fill('Le commentaire était dans le sujet.');
  await appealRow.getByRole('button', { name: 'Annuler la décision' }).click();
  await appealRow.waitFor({ state: 'detached' });
  assert.equal((await tribune.ok('GET', `/comments/${appealed.id}`, tribune.admin)).status, 'approved');
  assert.deepEqual(await axe(page), []);
  await context.close();
});

for (const [lang, S] of Object.entries({
  fr: { tab: 'Transparence', decisions: 'Décisions de modération', rule: 'Règle du site : abusive', caption: 'Décisions par motif' },
  ar: { tab: 'الشفافية', decisions: 'قرارات الإشراف', rule: 'قاعدة الموقع: abusive', caption: 'القرارات حسب السبب' },
})) {
  test(`(${lang}) the desk's transparency page shows the year's figures and their bars`, async () => {
    const comment = await tribune.ok('POST', '/articles/dsa-fr/comments', writer.token, { body: `Injure ${lang}` });
    await tribune.ok('POST', `/mod/comments/${comment.id}/reject`, tribune.admin, { reason: 'injurieux' });
    const year = new Date().getUTCFullYear();
    const report = await tribune.ok('GET', `/admin/transparency?from=${year}-01-01&to=${year}-12-31`, tribune.admin);
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: lang === 'ar' ? 'dark' : 'light' });
    const page = await context.newPage();
    await page.goto(`${tribune.origin}/console/?lang=${lang}`);
    await page.waitForSelector('body[data-ready="true"]');
    await page.locator('#k-login').fill('chef');
    await page.locator('#k-password').fill(PASSWORD);
    await page.locator('#k-sign-in button[type=submit]').click();
    await page.locator('#k-desk').waitFor();
    await page.getByRole('button', { name: S.tab, exact: true }).click();
    const total = page.locator('#k-transparency tr', { hasText: S.decisions });
    await total.waitFor();
    assert.equal((await total.locator('td').nth(1).textContent()).trim(), String(report.decisions.total));
    const chart = page.locator('table.k-chart', { has: page.locator('caption', { hasText: S.caption }) });
    const bar = chart.locator('tr', { hasText: S.rule });
    assert.equal((await bar.locator('td').first().textContent()).trim(), String(report.decisions.by_rule.abusive));
    assert.ok((await bar.locator('.k-bar').boundingBox()).width > 0, 'the bar is drawn');
    await page.screenshot({ path: shotPath(`dsa-console-transparency-${lang}.png`), fullPage: true });
    assert.deepEqual(await axe(page), []);
    await context.close();
  });
}
