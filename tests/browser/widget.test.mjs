// The reader's widget in Chromium, loaded from the documented snippet on a
// page of another origin, in French and in Arabic.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTribune, startSite, articlePage, launch, widget, axe, shotPath } from './harness.mjs';

let tribune;
let site;
let browser;

before(async () => {
  const pages = {};
  site = await startSite(pages);
  // The listing page fetches counts cross-origin: the site is a CORS origin.
  tribune = await startTribune({ TRIBUNE_SERVER__CORS_ORIGINS: site.origin });
  await tribune.ok('POST', '/admin/words', tribune.admin, { pattern: 'crapule', kind: 'banned' });
  await tribune.ok('POST', '/admin/words', tribune.admin, { pattern: 'حقير', kind: 'banned' });
  for (const key of ['budget-fr', 'budget-ar', 'flow-fr', 'flow-ar', 'long', 'xss', 'closed', 'live-fr', 'live-ar']) {
    await tribune.ok('POST', '/admin/articles', tribune.admin, { key, title: `Article ${key}` });
  }
  await tribune.ok('PATCH', '/admin/articles/closed', tribune.admin, { comments_open: false });
  const writer = await tribune.register('bavard');
  for (let i = 1; i <= 55; i++) {
    await tribune.ok('POST', '/articles/long/comments', writer.token, { body: `Message numéro ${i}` });
  }
  // A thread to look at in the screenshots.
  const amina = await tribune.register('amina', 'amina@example.com');
  const first = await tribune.ok('POST', '/articles/budget-fr/comments', writer.token,
    { body: 'Enfin un budget qui parle des **écoles** rurales.' });
  await tribune.ok('POST', '/articles/budget-fr/comments', amina.token,
    { body: 'الميزانية لا تذكر النقل العمومي في الجنوب', parent_id: first.id });
  await tribune.ok('POST', '/articles/budget-fr/comments', amina.token,
    { body: 'Et les hôpitaux ? Voir [le rapport](https://example.org/rapport).' });
  Object.assign(pages, {
    '/fr': articlePage(tribune, { key: 'budget-fr', lang: 'fr' }),
    '/ar': articlePage(tribune, { key: 'budget-ar', lang: 'ar', title: 'ميزانية 2027' }),
    '/flow-fr': articlePage(tribune, { key: 'flow-fr', lang: 'fr' }),
    '/flow-ar': articlePage(tribune, { key: 'flow-ar', lang: 'ar' }),
    '/long-fr': articlePage(tribune, { key: 'long', lang: 'fr' }),
    '/long-ar': articlePage(tribune, { key: 'long', lang: 'ar' }),
    '/xss': articlePage(tribune, { key: 'xss', lang: 'fr' }),
    '/closed': articlePage(tribune, { key: 'closed', lang: 'fr' }),
    '/live-fr': articlePage(tribune, { key: 'live-fr', lang: 'fr' }),
    '/live-ar': articlePage(tribune, { key: 'live-ar', lang: 'ar', title: 'ميزانية 2027' }),
    '/themed': articlePage(tribune, { key: 'budget-fr', lang: 'fr',
      extraHead: '<style>[data-tribune-article] { --tribune-accent: rgb(170, 0, 0); }</style>' }),
    '/light': articlePage(tribune, { key: 'budget-fr', lang: 'fr', theme: 'light' }),
    '/dark': articlePage(tribune, { key: 'budget-fr', lang: 'fr', theme: 'dark' }),
    '/listing': `<!doctype html><html lang="ar"><head><meta charset="utf-8"><title>Liste</title></head><body>
<ul><li>Budget <span data-tribune-count="budget-fr" data-tribune-lang="ar"></span></li>
<li>Long <span data-tribune-count="long"></span></li>
<li>Nothing <span data-tribune-count="nothing-here"></span></li></ul>
<script src="${tribune.origin}/embed.js" async></script></body></html>`,
  });
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
  // A CSP refusal (an inline style or script slipping in) is an error too.
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) errors.push(m.text()); });
  await page.goto(site.origin + path);
  const frame = await widget(page);
  return { context, page, frame, errors };
}

async function register(frame, name, email = `${name}@example.com`) {
  await frame.getByRole('button', { name: frame.strings.register }).first().click();
  const form = frame.locator('#t-register');
  await form.getByLabel(frame.strings.username).fill(name);
  await form.getByLabel(frame.strings.email).fill(email);
  await form.getByLabel(frame.strings.password).fill('a long password');
  await frame.locator('#t-register button[type=submit]').click();
  await frame.waitForSelector('#t-compose:not([hidden])', { timeout: 5000 }).catch(async (e) => {
    throw new Error(`registration failed: ${await form.innerText()}`, { cause: e });
  });
}

// What a reader reads and clicks, per language: every name from the catalogs.
const LANGS = {
  fr: {
    register: 'Créer un compte', username: "Nom d'utilisateur", email: 'Adresse e-mail',
    password: 'Mot de passe', post: 'Poster commentaire', box: 'Votre commentaire…',
    reply: 'Répondre', edit: 'Modifier', delete: 'Supprimer', report: 'Signaler', save: 'Enregistrer',
    reason: 'Motif', note: 'Précisions (facultatif)', send: 'Envoyer le signalement',
    sent: /votre signalement a bien été envoyé/, sort: 'Trier', more: 'Afficher plus de commentaires',
    rejected: /refusé par la modération/, one: /1\u2069? commentaire$/, notice: /Tout commentaire injurieux/,
    banned: 'crapule', text: 'Très bon article, **merci**.', insult: 'Quelle crapule ce ministre',
  },
  ar: {
    register: 'إنشاء حساب', username: 'اسم المستخدم', email: 'البريد الإلكتروني',
    password: 'كلمة المرور', post: 'أضف تعليقا', box: 'اكتب تعليقك…',
    reply: 'ردّ', edit: 'تعديل', delete: 'حذف', report: 'إبلاغ', save: 'حفظ',
    reason: 'السبب', note: 'تفاصيل إضافية (اختياري)', send: 'أرسل البلاغ',
    sent: /تم إرسال بلاغك/, sort: 'الترتيب', more: 'عرض مزيد من التعليقات',
    rejected: /رفض المشرفون نشر تعليقك/, one: /تعليق واحد/, notice: /أي تعليق مسيء/,
    banned: 'حقير', text: 'مقال **ممتاز**، شكرا', insult: 'هذا الوزير حقير',
  },
};
const FR = LANGS.fr;
const AR = LANGS.ar;

async function post(frame, text) {
  await frame.getByLabel(frame.strings.box, { exact: true }).fill(text);
  await frame.getByRole('button', { name: frame.strings.post, exact: true }).click();
}

for (const [lang, S] of Object.entries(LANGS)) {
  test(`(${lang}) the widget loads from the snippet, registers, posts, and a banned word shows the rejected notice`, async () => {
    const { context, page, frame, errors } = await open(`/flow-${lang}`);
    frame.strings = S;
    assert.equal(await frame.evaluate(() => document.documentElement.lang), lang);
    assert.match(await frame.locator('.t-notice').innerText(), S.notice);
    await register(frame, `nadia_${lang}`);
    await post(frame, S.text);
    const mine = frame.locator('.t-c').first();
    await mine.waitFor();
    assert.equal(await mine.getAttribute('data-status'), 'approved');
    assert.equal(await mine.locator('.t-c-body strong').count(), 1);
    await frame.waitForFunction(() => document.getElementById('t-live').textContent.length > 0);
    await frame.waitForFunction((re) => new RegExp(re).test(document.getElementById('t-count').textContent), S.one.source);

    await post(frame, S.insult);
    const refused = frame.locator('.t-c', { hasText: S.insult });
    await refused.waitFor();
    assert.equal(await refused.getAttribute('data-status'), 'rejected');
    assert.match(await refused.innerText(), S.rejected);
    // An anonymous reader sees the approved one only.
    const thread = await tribune.ok('GET', `/articles/flow-${lang}/comments`);
    assert.equal(thread.comments.length, 1);

    // The iframe grew to fit its content.
    const height = await page.locator('iframe').evaluate((f) => f.getBoundingClientRect().height);
    assert.ok(height > 400, `iframe height ${height}`);
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`(${lang}) reply, edit, delete, report and sort work with the real API`, async () => {
    const author = await tribune.register(`karim_${lang}`);
    const parent = await tribune.ok('POST', `/articles/flow-${lang}/comments`, author.token, { body: 'Commentaire de Karim' });
    const { context, frame, errors } = await open(`/flow-${lang}`);
    frame.strings = S;
    await register(frame, `salma_${lang}`);
    const karim = frame.locator(`#c-${parent.id}`);
    await karim.getByRole('button', { name: S.reply, exact: true }).click();
    await karim.getByRole('textbox').fill('Je réponds à Karim');
    await karim.getByRole('button', { name: S.post, exact: true }).click();
    const reply = karim.locator('.t-replies > .t-c', { hasText: 'Je réponds à Karim' });
    await reply.waitFor();
    assert.equal(await reply.getAttribute('data-depth'), '2');

    await reply.getByRole('button', { name: S.edit, exact: true }).click();
    await reply.getByRole('textbox').fill('Je réponds à Karim, corrigé');
    const replyId = await reply.getAttribute('data-id');
    await reply.getByRole('button', { name: S.save, exact: true }).click();
    const corrected = frame.locator(`#c-${replyId}`);
    await corrected.locator('.t-c-body', { hasText: 'corrigé' }).waitFor();
    assert.equal((await tribune.ok('GET', `/comments/${replyId}`)).body, 'Je réponds à Karim, corrigé');

    await karim.getByRole('button', { name: S.report, exact: true }).click();
    await karim.getByLabel(S.reason, { exact: true }).selectOption('off_topic');
    await karim.getByLabel(S.note, { exact: true }).fill('Hors sujet');
    await karim.getByRole('button', { name: S.send, exact: true }).click();
    await karim.getByText(S.sent).waitFor();
    const queue = await tribune.ok('GET', '/mod/queue?status=reported', tribune.admin);
    assert.equal(queue.items.find((i) => i.comment.id === parent.id)?.reports.off_topic, 1);

    await corrected.getByRole('button', { name: S.delete, exact: true }).click();
    await corrected.waitFor({ state: 'detached' });
    assert.equal((await tribune.call('GET', `/comments/${replyId}`)).status, 404);

    const tops = () => frame.locator('#t-thread > .t-c').evaluateAll((lis) => lis.map((li) => Number(li.dataset.id)));
    const oldest = await tops();
    await frame.getByLabel(S.sort, { exact: true }).selectOption('newest');
    await frame.waitForFunction((first) => Number(document.querySelector('#t-thread > .t-c')?.dataset.id) !== first, oldest[0]);
    assert.deepEqual(await tops(), [...oldest].reverse());
    assert.deepEqual(errors, []);
    await context.close();
  });

  test(`(${lang}) load more fetches the next page (keyset cursor)`, async () => {
    const { context, frame } = await open(`/long-${lang}`);
    assert.equal(await frame.locator('#t-thread > .t-c').count(), 50);
    await frame.getByRole('button', { name: S.more, exact: true }).click();
    await frame.locator('.t-c', { hasText: 'Message numéro 55' }).waitFor();
    assert.equal(await frame.locator('#t-thread > .t-c').count(), 55);
    assert.equal(await frame.locator('#t-more').isHidden(), true);
    await context.close();
  });
}

test('Arabic: rtl document, ltr French comment, start edge on the right', async () => {
  const writer = await tribune.register('pierre');
  await tribune.ok('POST', '/articles/budget-ar/comments', writer.token, { body: 'Un commentaire en français' });
  const { context, frame } = await open('/ar', { viewport: { width: 760, height: 900 } });
  frame.strings = AR;
  assert.equal(await frame.evaluate(() => document.documentElement.dir), 'rtl');
  assert.equal(await frame.evaluate(() => getComputedStyle(document.documentElement).direction), 'rtl');
  const french = frame.locator('.t-c', { hasText: 'Un commentaire en français' }).locator('.t-c-body');
  assert.equal(await french.getAttribute('dir'), 'ltr');
  assert.equal(await french.evaluate((e) => getComputedStyle(e).direction), 'ltr');
  await register(frame, 'ليلى', 'layla@example.com');
  await post(frame, 'مقال ممتاز، شكرا');
  const arabic = frame.locator('.t-c', { hasText: 'مقال ممتاز' });
  await arabic.waitFor();
  assert.equal(await arabic.locator('.t-c-body').getAttribute('dir'), 'rtl');
  // The box starts on the right: its right edges line up with the thread's, and
  // the notice's accent border is on its right side.
  const box = await frame.locator('#t-body').boundingBox();
  const main = await frame.locator('#tribune').boundingBox();
  const notice = await frame.locator('.t-notice').evaluate((e) => getComputedStyle(e).borderRightWidth);
  assert.ok(Math.abs(box.x + box.width - (main.x + main.width)) < 20, JSON.stringify({ box, main }));
  assert.equal(notice, '4px');
  const author = await arabic.locator('bdi.t-c-author').innerText();
  assert.equal(author, 'ليلى');
  assert.deepEqual(await axe(frame).then((v) => v.map((x) => x.id)), []);
  await frame.locator('body').screenshot({ path: shotPath('widget-ar.png') });
  await context.close();
});

test('counts on a listing page come from one request, in the page language', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const counts = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/counts')) counts.push(r.url()); });
  await page.goto(site.origin + '/listing');
  await page.waitForFunction(() => [...document.querySelectorAll('[data-tribune-count]')].every((s) => s.textContent));
  const texts = await page.locator('[data-tribune-count]').allInnerTexts();
  assert.equal(counts.length, 1);
  assert.match(texts[1], /55/);
  assert.equal(texts[2], 'لا توجد تعليقات');
  await context.close();
});

test('without JavaScript the thread is readable', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${tribune.origin}/embed/long?lang=fr`);
  assert.equal(await page.locator('.t-c').count(), 50);
  assert.match(await page.locator('.t-c').first().innerText(), /Message numéro 1/);
  assert.match(await page.locator('.t-notice').innerText(), /Tout commentaire injurieux/);
  await context.close();
});

test('hostile comments run nothing, and the host page cannot read the token', async () => {
  const troll = await tribune.register('troll');
  for (const body of ['<img src=x onerror="window.pwned=1">', '[clic](javascript:window.pwned=1)',
    '<script>window.pwned=1</script>', '<svg onload="window.pwned=1">']) {
    await tribune.ok('POST', '/articles/xss/comments', troll.token, { body });
  }
  const { context, page, frame, errors } = await open('/xss');
  frame.strings = FR;
  await register(frame, 'lectrice');
  await frame.locator('.t-c').nth(3).waitFor();
  for (const link of await frame.locator('.t-c-body a').all()) {
    assert.ok(!(await link.getAttribute('href') ?? '').startsWith('javascript:'));
  }
  // Links in comments open outside the frame.
  assert.equal(await frame.evaluate(() => document.querySelector('base').target), '_blank');
  // The javascript: link lost its target (or its link): following it runs nothing.
  const clic = frame.locator('.t-c', { hasText: 'clic' });
  assert.equal(await clic.count(), 1);
  await clic.locator('.t-c-body').click();
  if (await clic.locator('a').count()) await clic.locator('a').click({ timeout: 2000 });
  await page.waitForTimeout(300);
  assert.equal(await frame.evaluate(() => window.pwned), undefined);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.equal(await frame.locator('.t-c-body img, .t-c-body script, .t-c-body svg').count(), 0);
  // The token stays on Tribune's origin: in the frame's storage when the
  // browser allows a framed page storage, else in the frame's memory.
  const stored = await frame.evaluate(() => { try { return localStorage.getItem('tribune-token'); } catch { return 'blocked'; } });
  assert.ok(stored);
  const seen = await page.evaluate(() => {
    let inFrame;
    try { inFrame = document.querySelector('iframe').contentWindow.localStorage.getItem('tribune-token'); } catch { inFrame = 'blocked'; }
    return { own: Object.keys(localStorage), inFrame, cookie: document.cookie };
  });
  assert.deepEqual(seen, { own: [], inFrame: 'blocked', cookie: '' });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a closed article says so and offers no box', async () => {
  const { context, frame } = await open('/closed');
  assert.match(await frame.locator('#t-closed').innerText(), /fermés/);
  assert.equal(await frame.locator('#t-compose').count(), 0);
  await context.close();
});

test('light, dark and phone: screenshots, and axe finds nothing serious (fr)', async () => {
  const light = await open('/fr', { viewport: { width: 760, height: 900 } });
  assert.deepEqual(await axe(light.frame).then((v) => v.map((x) => x.id)), []);
  await light.frame.locator('body').screenshot({ path: shotPath('widget-fr.png') });
  await light.context.close();

  const dark = await open('/dark', { viewport: { width: 760, height: 900 } });
  const bg = await dark.frame.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  assert.equal(bg, 'rgb(21, 23, 26)');
  assert.deepEqual(await axe(dark.frame).then((v) => v.map((x) => x.id)), []);
  await dark.frame.locator('body').screenshot({ path: shotPath('widget-dark.png') });
  await dark.context.close();

  // The reader's own preference, unless the site forces a theme.
  const prefers = await open('/fr', { colorScheme: 'dark' });
  assert.equal(await prefers.frame.evaluate(() => getComputedStyle(document.documentElement).backgroundColor), 'rgb(21, 23, 26)');
  await prefers.context.close();
  const forced = await open('/light', { colorScheme: 'dark' });
  assert.equal(await forced.frame.evaluate(() => getComputedStyle(document.documentElement).backgroundColor), 'rgb(255, 255, 255)');
  await forced.context.close();

  const phone = await open('/ar', { viewport: { width: 360, height: 740 } });
  const overflow = await phone.frame.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `horizontal overflow ${overflow}px`);
  await phone.page.screenshot({ path: shotPath('widget-phone-ar.png'), fullPage: true });
  await phone.context.close();
});

test('a site sets the widget colours from its own stylesheet', async () => {
  const { context, frame } = await open('/themed');
  await frame.waitForFunction(() => getComputedStyle(document.documentElement).getPropertyValue('--tribune-accent').trim() === 'rgb(170, 0, 0)');
  const button = await frame.locator('#t-sign-in button[type=submit]').evaluate((b) => getComputedStyle(b).backgroundColor);
  assert.equal(button, 'rgb(170, 0, 0)');
  await context.close();
});

test('the loader takes resize messages only from Tribune', async () => {
  const { context, page, frame } = await open('/fr');
  await frame.waitForFunction(() => document.body.offsetHeight > 0);
  const before = await page.locator('iframe').evaluate((f) => f.getBoundingClientRect().height);
  // The host page (another origin) pretends to be the widget.
  await page.evaluate(() => window.postMessage({ type: 'tribune:height', height: 7 }, '*'));
  await page.waitForTimeout(200);
  const after = await page.locator('iframe').evaluate((f) => f.getBoundingClientRect().height);
  assert.equal(after, before);
  assert.ok(before > 100);
  await context.close();
});

test('a reader signs in and posts with the keyboard alone, with visible focus', async () => {
  await tribune.register('clavier');
  const { context, page, frame } = await open('/fr');
  await frame.waitForSelector('#t-login');
  await frame.locator('#t-login').focus();
  await page.keyboard.type('clavier');
  await page.keyboard.press('Tab');
  await page.keyboard.type('a long password');
  await page.keyboard.press('Enter');
  // Signed in, the focus moves to the comment box.
  await frame.waitForFunction(() => document.activeElement?.id === 't-body');
  await page.keyboard.type('Écrit au clavier');
  await page.keyboard.press('Tab');
  const outline = await frame.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.equal(await frame.evaluate(() => document.activeElement.textContent), 'Poster commentaire');
  assert.equal(outline, 'solid');
  await page.keyboard.press('Enter');
  await frame.locator('.t-c', { hasText: 'Écrit au clavier' }).waitFor();

  // Signing out revokes the token on the server, then shows the forms again.
  const logout = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/logout'));
  await frame.getByRole('button', { name: 'Se déconnecter', exact: true }).click();
  assert.equal((await logout).status(), 204);
  const again = await widget(page);
  await again.locator('#t-sign-in').waitFor();
  assert.equal(await again.locator('#t-compose').isHidden(), true);
  await context.close();
});

test('with server.embed_origins set, another site cannot frame the widget', async () => {
  const strict = await startTribune({ TRIBUNE_SERVER__EMBED_ORIGINS: 'https://news.example.ma' });
  const pages = {};
  const other = await startSite(pages);
  await strict.ok('POST', '/admin/articles', strict.admin, { key: 'a1', title: 'A1' });
  pages['/a1'] = articlePage(strict, { key: 'a1', lang: 'fr' });
  const context = await browser.newContext();
  const page = await context.newPage();
  const refused = [];
  page.on('console', (m) => { if (/frame-ancestors/.test(m.text())) refused.push(m.text()); });
  try {
    await page.goto(other.origin + '/a1');
    const frame = await (await page.waitForSelector('iframe')).contentFrame();
    await page.waitForTimeout(500);
    assert.equal(await frame.locator('#tribune').count(), 0);
    assert.ok(refused.length > 0, 'Chromium reports the frame-ancestors refusal');
  } finally {
    await context.close();
    other.stop();
    strict.stop();
  }
});

// Live threads: comments posted while the reader reads come as "N new
// comments" (the catalog's plural forms), announced politely, inserted on click.
const LIVE = {
  fr: { counts: [[1, '1 nouveau commentaire'], [2, '2 nouveaux commentaires']] },
  ar: { counts: [[1, 'تعليق جديد واحد'], [2, 'تعليقان جديدان'], [3, '3 تعليقات جديدة']] },
};

for (const [lang, L] of Object.entries(LIVE)) {
  test(`(${lang}) new comments arrive live: counted, announced, inserted on click`, async () => {
    const key = `live-${lang}`;
    const { context, page, frame, errors } = await open(`/${key}`, { viewport: { width: 360, height: 740 } });
    const writer = await tribune.register(`direct_${lang}`);
    const button = frame.locator('#t-new');
    assert.equal(await button.isHidden(), true);
    // The widget follows the thread once its stream has opened.
    await frame.waitForSelector('#tribune[data-live="open"]');
    const ids = [];
    for (const [n, words] of L.counts) {
      const c = await tribune.ok('POST', `/articles/${key}/comments`, writer.token,
        { body: `Commentaire en direct ${n} — تعليق مباشر` });
      ids.push(c.id);
      await frame.waitForFunction((w) => document.getElementById('t-new').textContent === w, words,
        { timeout: 10000 });
      assert.equal(await button.isVisible(), true);
      // The polite live region says it too.
      await frame.waitForFunction((w) => document.getElementById('t-live').textContent === w, words);
    }
    assert.equal(await frame.locator('#t-live').getAttribute('aria-live'), 'polite');
    // A comment the filters reject is never announced.
    await tribune.ok('POST', `/articles/${key}/comments`, writer.token, { body: FR.insult });
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(await button.textContent(), L.counts.at(-1)[1]);
    for (const id of ids) assert.equal(await frame.locator(`#c-${id}`).count(), 0);
    await page.screenshot({ path: shotPath(`widget-live-phone-${lang}.png`), fullPage: true });

    await button.click();
    for (const id of ids) await frame.locator(`#c-${id}`).waitFor();
    assert.equal(await button.isHidden(), true);
    assert.equal(await frame.evaluate(() => document.activeElement.id), `c-${ids[0]}`);
    const count = await frame.locator('#t-count').textContent();
    assert.ok(count.includes(String(ids.length)), count);
    assert.deepEqual(errors, []);
    assert.deepEqual(await axe(frame).then((v) => v.map((x) => x.id)), []);
    await context.close();
  });
}
