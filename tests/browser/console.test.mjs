// The moderator's desk in Chromium: signing in, a held comment with its
// reasons, approving and banning from the keyboard, and what the reader
// sees in the widget afterwards.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTribune, startSite, articlePage, launch, widget, axe, shotPath, PASSWORD } from './harness.mjs';

let tribune;
let site;
let browser;
let moderator;

before(async () => {
  const pages = {};
  site = await startSite(pages);
  tribune = await startTribune();
  await tribune.ok('POST', '/admin/articles', tribune.admin, { key: 'pre', title: 'Article prémodéré', moderation: 'pre' });
  moderator = await tribune.register('modo');
  await tribune.ok('PATCH', `/admin/users/${moderator.id}`, tribune.admin, { role: 'moderator' });
  Object.assign(pages, {
    '/pre': articlePage(tribune, { key: 'pre', lang: 'fr' }),
    '/framed': `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Cadre</title></head>
<body><iframe title="console" src="${tribune.origin}/console/"></iframe></body></html>`,
  });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.stop();
  tribune?.stop();
});

async function signIn(page, name, lang = 'fr') {
  await page.goto(`${tribune.origin}/console/?lang=${lang}`);
  await page.waitForSelector('body[data-ready="true"]');
  await page.locator('#k-login').fill(name);
  await page.locator('#k-password').fill(PASSWORD);
  await page.locator('#k-sign-in button[type=submit]').click();
}

test('a reader is refused with a clear message', async () => {
  await tribune.register('lecteur');
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'lecteur');
  await page.getByText("Ce compte n'est pas un compte de modérateur").waitFor();
  assert.equal(await page.locator('#k-desk').isHidden(), true);
  await context.close();
});

test('a held comment is approved and its author banned from the keyboard alone', async () => {
  // The reader writes from the widget on the site.
  const readerContext = await browser.newContext();
  const readerPage = await readerContext.newPage();
  await readerPage.goto(site.origin + '/pre');
  const frame = await widget(readerPage);
  await frame.getByRole('button', { name: 'Créer un compte' }).click();
  const form = frame.locator('#t-register');
  await form.getByLabel("Nom d'utilisateur").fill('nadia');
  await form.getByLabel('Adresse e-mail').fill('nadia@example.com');
  await form.getByLabel('Mot de passe').fill(PASSWORD);
  await form.getByRole('button', { name: 'Créer un compte' }).click();
  await frame.getByLabel('Votre commentaire…', { exact: true }).fill('Mon premier avis');
  await frame.getByRole('button', { name: 'Poster commentaire' }).click();
  const mine = frame.locator('.t-c', { hasText: 'Mon premier avis' });
  await mine.getByText('en attente de modération').waitFor();

  // The moderator sees it with its reason, and approves it with "a".
  const context = await browser.newContext({ viewport: { width: 1000, height: 640 } });
  const page = await context.newPage();
  await signIn(page, 'modo');
  const item = page.locator('.k-item', { hasText: 'Mon premier avis' });
  await item.waitFor();
  assert.match(await item.locator('.k-reasons').innerText(), /Prémodération/);
  assert.match(await item.locator('.k-meta').first().innerText(), /Compte créé le .*2\d{3}/);
  // The totals arrive with their own request: wait for them, do not race them.
  await page.waitForFunction(() => /1/.test(document.querySelector('[data-total="pending"]')?.textContent ?? ''));
  assert.match(await page.locator('[data-total="pending"]').innerText(), /1/);
  await page.waitForFunction(() => document.activeElement?.classList.contains('k-item'));
  await page.screenshot({ path: shotPath('console-fr.png') });
  assert.deepEqual(await axe(page).then((v) => v.map((x) => x.id)), []);
  await page.keyboard.press('a');
  await page.getByText('Rien à modérer ici.').waitFor();
  const id = Number(await mine.getAttribute('data-id'));
  assert.equal((await tribune.ok('GET', `/comments/${id}`)).status, 'approved');

  // Anyone now sees it in the widget.
  const anon = await browser.newContext();
  const anonPage = await anon.newPage();
  await anonPage.goto(site.origin + '/pre');
  const anonFrame = await widget(anonPage);
  assert.equal(await anonFrame.locator(`#c-${id}`).getAttribute('data-status'), 'approved');
  await anon.close();

  // A second comment is held (pre-moderation until trusted); "b" bans its author.
  await frame.getByLabel('Votre commentaire…', { exact: true }).fill('Mon second avis');
  await frame.getByRole('button', { name: 'Poster commentaire' }).click();
  await frame.locator('.t-c', { hasText: 'Mon second avis' }).waitFor();
  await page.keyboard.press('1');
  await page.locator('.k-item', { hasText: 'Mon second avis' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.classList.contains('k-item'));
  await page.keyboard.press('b');
  await page.locator('#k-ban[open]').waitFor();
  await page.keyboard.type('Insultes répétées');
  await page.keyboard.press('Enter');
  await page.locator('#k-ban').waitFor({ state: 'hidden' });
  await page.getByText("C'est fait.").waitFor();

  // The reader tries again and sees the banned notice.
  await frame.getByLabel('Votre commentaire…', { exact: true }).fill('Encore moi');
  await frame.getByRole('button', { name: 'Poster commentaire' }).click();
  await frame.locator('#t-banned').getByText('Votre compte a été banni').waitFor();
  assert.equal(await frame.locator('#t-compose').isHidden(), true);
  await readerContext.close();
  await context.close();
});

test('two moderators on one queue: the second one is told the first was first', async () => {
  const author = await tribune.register('bavarde');
  const c = await tribune.ok('POST', '/articles/pre/comments', author.token, { body: 'À trancher' });
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'modo');
  await page.locator('.k-item', { hasText: 'À trancher' }).waitFor();
  // The other moderator deletes it first.
  await tribune.ok('POST', `/mod/comments/${c.id}/delete`, tribune.admin, {});
  await page.locator('.k-item', { hasText: 'À trancher' }).getByRole('button', { name: 'Approuver' }).click();
  await page.getByText('Un autre modérateur a déjà traité ce commentaire').waitFor();
  await context.close();
});

test('the console refuses to be framed, and axe passes in Arabic', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const blocked = [];
  page.on('console', (m) => { if (/frame-ancestors/.test(m.text())) blocked.push(m.text()); });
  await page.goto(site.origin + '/framed');
  await page.waitForTimeout(500);
  const frame = page.frames().find((f) => f !== page.mainFrame());
  assert.equal(await frame.locator('#k-login').count(), 0);
  assert.ok(blocked.length > 0, 'Chromium reports the frame-ancestors refusal');

  const author = await tribune.register('سارة', 'sara@example.com');
  await tribune.ok('POST', '/articles/pre/comments', author.token, { body: 'تعليق ينتظر المراجعة' });
  const ar = await context.newPage();
  await signIn(ar, 'chef', 'ar');
  await ar.locator('.k-item', { hasText: 'تعليق ينتظر المراجعة' }).waitFor();
  assert.equal(await ar.evaluate(() => document.documentElement.dir), 'rtl');
  assert.deepEqual(await axe(ar).then((v) => v.map((x) => x.id)), []);
  await ar.screenshot({ path: shotPath('console-ar.png') });
  await context.close();
});

test('keyboard selection and bulk actions, then the admin views', async () => {
  const author = await tribune.register('prolixe');
  const ids = [];
  for (const body of ['Premier lot', 'Deuxième lot', 'Troisième lot']) {
    ids.push((await tribune.ok('POST', '/articles/pre/comments', author.token, { body })).id);
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'chef');
  await page.locator('.k-item', { hasText: 'Premier lot' }).waitFor();
  await page.waitForFunction(() => document.activeElement?.classList.contains('k-item'));
  const focused = () => page.evaluate(() => document.activeElement.dataset.id);
  // Walk to the first of ours, select it and the next with "x", "j" between.
  while (Number(await focused()) !== ids[0]) await page.keyboard.press('j');
  await page.keyboard.press('x');
  await page.keyboard.press('j');
  assert.equal(Number(await focused()), ids[1]);
  await page.keyboard.press('x');
  await page.keyboard.press('k');
  assert.equal(Number(await focused()), ids[0]);
  assert.match(await page.locator('#k-selected').innerText(), /2/);
  await page.getByRole('button', { name: 'Refuser la sélection' }).click();
  await page.getByText("C'est fait.").waitFor();
  for (const id of ids.slice(0, 2)) assert.equal((await tribune.ok('GET', `/comments/${id}`, tribune.admin)).status, 'rejected');
  assert.equal((await tribune.ok('GET', `/comments/${ids[2]}`, tribune.admin)).status, 'pending');
  // "2" shows the reported queue, "3" the rejected one, where ours now are.
  await page.keyboard.press('3');
  await page.locator('.k-item', { hasText: 'Premier lot' }).waitFor();
  assert.equal(await page.locator('[data-view="rejected"]').getAttribute('aria-current'), 'page');
  await page.keyboard.press('?');
  await page.locator('#k-help[open]').waitFor();
  await page.keyboard.press('Escape');

  for (const [view, probe] of [['log', 'refus'], ['articles', 'Article prémodéré'], ['users', 'prolixe'],
    ['words', 'Essayer un texte'], ['settings', 'Délai de modification (minutes)'], ['stats', 'Commentaires · en attente']]) {
    await page.locator(`[data-view="${view}"]`).click();
    await page.locator('#k-view').getByText(probe).first().waitFor();
    assert.equal(await page.locator('#k-status.k-warn').count(), 0, view);
  }
  // A user's page: ban, then lift the ban.
  await page.locator('[data-view="users"]').click();
  await page.locator('#k-view').getByRole('button', { name: 'prolixe' }).click();
  await page.getByRole('button', { name: 'Bannir' }).click();
  await page.getByLabel('Motif du bannissement').fill('Spam');
  await page.getByLabel('Jours (vide : définitif)').fill('3');
  await page.getByRole('button', { name: 'Confirmer le bannissement' }).click();
  await page.getByRole('button', { name: 'Lever le bannissement' }).waitFor();
  const standing = await tribune.ok('GET', `/mod/users/${author.id}`, tribune.admin);
  assert.equal(standing.status, 'banned');
  assert.ok(standing.banned_until);
  await page.getByRole('button', { name: 'Lever le bannissement' }).click();
  await page.getByRole('button', { name: 'Bannir' }).waitFor();
  assert.equal((await tribune.ok('GET', `/mod/users/${author.id}`, tribune.admin)).status, 'active');
  await context.close();
});

test('a comment held for a disguised word shows the entry, the text as written and the disguise', async () => {
  await tribune.ok('POST', '/admin/words', tribune.admin, { pattern: 'connard', kind: 'suspect' });
  await tribune.ok('POST', '/admin/articles', tribune.admin, { key: 'libre', title: 'Article libre' });
  const writer = await tribune.register('karim');
  await tribune.ok('POST', '/articles/libre/comments', writer.token, { body: 'Quel c|onnard ce ministre' });
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'modo');
  const item = page.locator('.k-item', { hasText: 'Quel c|onnard ce ministre' });
  await item.waitFor();
  const reasons = item.locator('.k-reasons');
  await reasons.getByText('Mot suspect').waitFor();
  await reasons.getByText('connard (écrit : c|onnard)').waitFor();
  assert.match(await reasons.innerText(), /déguisement défait : symboles dans le mot/);
  await context.close();
});

test("a reported comment shows what its reporters wrote", async () => {
  await tribune.ok('POST', '/admin/articles', tribune.admin, { key: 'debat', title: 'Débat' });
  const writer = await tribune.register('salim');
  const reporter = await tribune.register('rania');
  const posted = await tribune.ok('POST', '/articles/debat/comments', writer.token, { body: 'Achetez ici, prix cassés' });
  await tribune.ok('POST', `/comments/${posted.id}/reports`, reporter.token, { reason: 'spam', note: 'publicité déguisée' });
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'modo');
  await page.locator('[data-view="reported"]').click();
  const item = page.locator('.k-item', { hasText: 'Achetez ici, prix cassés' });
  await item.waitFor();
  await item.locator('.k-notes').getByText('publicité déguisée').waitFor();
  await context.close();
});
