// The site's own sign-in in Chromium: a host page hands the widget a token
// the site signed (data-tribune-sso, window.tribune.login/logout), in French
// and in Arabic; other origins cannot sign anyone in; the host page never
// sees Tribune's session.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { startTribune, startSite, launch, widget } from './harness.mjs';

const SECRET = 'a site secret of at least thirty-two bytes';

let tribune;
let site;
let other;
let browser;

/** What the site's server does: an HS256 token for its signed-in reader. */
function mint(claims) {
  const b64 = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);
  const input = `${b64({ alg: 'HS256', kid: 'k1', typ: 'JWT' })}.${b64({ iat, exp: iat + 300, jti: randomUUID(), ...claims })}`;
  return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
}

/** An article page with the snippet; `token` on the element when given. */
function hostPage({ key, lang, token, extra = '' }) {
  const sso = token ? ` data-tribune-sso="${token}"` : '';
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${key}</title></head>
<body><h1>${key}</h1>
<div data-tribune-article="${key}" data-tribune-lang="${lang}"${sso}></div>
<script src="${tribune.origin}/embed.js" async></script>${extra}
</body></html>`;
}

async function accountExists(email) {
  const users = await tribune.ok('GET', `/admin/users?q=${encodeURIComponent(email)}`, tribune.admin);
  return users.users.some((u) => u.email === email);
}

const pages = {};
const otherPages = {};

before(async () => {
  site = await startSite(pages);
  other = await startSite(otherPages);
  tribune = await startTribune({
    TRIBUNE_SSO__ENABLED: 'true',
    TRIBUNE_SSO__KEYS: `k1=${SECRET}`,
    TRIBUNE_SERVER__EMBED_ORIGINS: site.origin,
  });
  for (const key of ['sso-fr', 'sso-ar', 'sso-out', 'sso-spoof', 'sso-outside']) {
    await tribune.ok('POST', '/admin/articles', tribune.admin, { key, title: `Article ${key}` });
  }
  await tribune.ok('POST', '/articles/sso-fr/comments', tribune.admin, { body: 'Bienvenue à tous.' });
  await tribune.ok('POST', '/articles/sso-ar/comments', tribune.admin, { body: 'مرحبا بالجميع' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  site?.stop();
  other?.stop();
  tribune?.stop();
});

const LANGS = {
  fr: { name: 'Lina Benali', badge: 'abonné', staff: 'Rédaction', box: 'Votre commentaire…', post: 'Poster commentaire', text: 'Bravo pour cet article' },
  ar: { name: 'ليلى بنعلي', badge: 'مشترك', staff: 'فريق التحرير', box: 'اكتب تعليقك…', post: 'أضف تعليقا', text: 'مقال ممتاز' },
};

for (const [lang, S] of Object.entries(LANGS)) {
  test(`(${lang}) data-tribune-sso signs the reader in, with the badge, and they post`, async () => {
    const email = `lina-${lang}@example.ma`;
    pages[`/sso-${lang}`] = hostPage({
      key: `sso-${lang}`, lang, token: mint({ sub: `lina-${lang}`, email, name: S.name, badges: [S.badge] }),
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Everything the host page is told, to check the session never reaches it.
    await page.addInitScript(() => {
      window.heard = [];
      addEventListener('message', (e) => window.heard.push(JSON.stringify(e.data)));
    });
    await page.goto(site.origin + `/sso-${lang}`);
    const frame = await widget(page);
    await frame.waitForSelector('#t-me:not([hidden])', { timeout: 10000 });
    const label = await frame.locator('#t-me-label').innerText();
    assert.ok(label.includes(S.name), label);
    assert.ok(label.includes(S.badge), label);
    // Staff carry their badge in the reader's language.
    const staff = frame.locator('.t-c', { hasText: lang === 'fr' ? 'Bienvenue' : 'مرحبا' }).locator('.t-badge-staff');
    assert.equal(await staff.first().innerText(), S.staff);
    await frame.getByLabel(S.box, { exact: true }).fill(S.text);
    await frame.getByRole('button', { name: S.post, exact: true }).click();
    const mine = frame.locator('.t-c', { hasText: S.text });
    await mine.waitFor({ timeout: 10000 });
    assert.equal(await mine.locator('.t-badge').first().innerText(), S.badge);
    // The post is the site's reader's, as everyone sees it.
    const thread = await tribune.ok('GET', `/articles/sso-${lang}/comments`);
    const posted = thread.comments.find((c) => c.body === S.text);
    assert.equal(posted.author.display_name, S.name);
    assert.deepEqual(posted.author.badges, [{ kind: 'site', label: S.badge }]);
    // The host page cannot read Tribune's session: not in its storage or
    // cookies, not in the frame's (cross-origin) storage, never in a message.
    const seen = await page.evaluate(() => {
      let inFrame;
      try { inFrame = document.querySelector('iframe').contentWindow.localStorage.length; } catch { inFrame = 'blocked'; }
      return { own: Object.keys(localStorage), inFrame, cookie: document.cookie, heard: window.heard };
    });
    assert.deepEqual({ ...seen, heard: [] }, { own: [], inFrame: 'blocked', cookie: '', heard: [] });
    for (const message of seen.heard) {
      assert.ok(!/token|session|Bearer/i.test(message), `the page heard ${message}`);
    }
    // The frame keeps the session in memory only (headless Chromium even
    // refuses a framed page storage: then nothing is stored either).
    assert.equal(await frame.evaluate(() => { try { return localStorage.getItem('tribune-token'); } catch { return null; } }), null);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('window.tribune.login and logout sign in and out without a reload', async () => {
  pages['/sso-out'] = hostPage({ key: 'sso-out', lang: 'fr' });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(site.origin + '/sso-out');
  const frame = await widget(page);
  assert.equal(await frame.locator('#t-me').isHidden(), true);
  const token = mint({ sub: 'spa-1', email: 'spa@example.ma', name: 'Sami' });
  await page.evaluate((t) => window.tribune.login(t), token);
  await frame.waitForSelector('#t-me:not([hidden])', { timeout: 10000 });
  assert.match(await frame.locator('#t-me-label').innerText(), /Sami/);
  await page.evaluate(() => window.tribune.logout());
  await frame.waitForSelector('#t-me[hidden]', { state: 'attached', timeout: 10000 });
  assert.equal(await frame.locator('#t-compose').isHidden(), true);
  await context.close();
});

test('a page outside embed_origins cannot sign anyone in', async () => {
  // Framing the widget from another origin: the browser refuses the frame.
  otherPages['/outside'] = hostPage({
    key: 'sso-outside', lang: 'fr', token: mint({ sub: 'out-1', email: 'outside@example.ma', name: 'Dehors' }),
  });
  // A frame of another origin inside the site's page posts a good token to
  // the widget: the widget takes messages only from its parent.
  const spoofToken = mint({ sub: 'spoof-1', email: 'spoof@example.ma', name: 'Usurpateur' });
  otherPages['/evil'] = `<!doctype html><html><body><script>
setInterval(() => { for (let i = 0; i < parent.frames.length; i++) {
  parent.frames[i].postMessage({ type: 'tribune:sso', token: ${JSON.stringify(spoofToken)} }, '*'); } }, 200);
</script></body></html>`;
  pages['/spoof'] = hostPage({ key: 'sso-spoof', lang: 'fr', extra: `<iframe src="${other.origin}/evil" title="pub"></iframe>` });
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(other.origin + '/outside');
    const outsideFrame = await (await page.waitForSelector('iframe')).contentFrame();
    await page.waitForTimeout(1500);
    assert.equal(await outsideFrame.locator('#tribune').count(), 0);

    await page.goto(site.origin + '/spoof');
    const frame = await widget(page);
    await page.waitForTimeout(2000);
    assert.equal(await frame.locator('#t-me').isHidden(), true);
    assert.equal(await accountExists('outside@example.ma'), false);
    assert.equal(await accountExists('spoof@example.ma'), false);
  } finally {
    await context.close();
  }
});

test('with only and login_url, readers see no form: the button opens the site sign-in page, which brings them back', async () => {
  const strict = await startTribune({
    TRIBUNE_SSO__ENABLED: 'true',
    TRIBUNE_SSO__KEYS: `k1=${SECRET}`,
    TRIBUNE_SSO__ONLY: 'true',
    TRIBUNE_SSO__LOGIN_URL: `${site.origin}/login`,
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await strict.ok('POST', '/admin/articles', strict.admin, { key: 'only', title: 'Only' });
    pages['/only'] = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>only</title></head>
<body><div data-tribune-article="only" data-tribune-lang="fr"></div>
<script src="${strict.origin}/embed.js" async></script></body></html>`;
    pages['/login'] = '<!doctype html><html><head><title>login</title></head><body>Connexion</body></html>';
    await page.goto(site.origin + '/only');
    const frame = await widget(page);
    assert.equal(await frame.locator('#t-sign-in').isHidden(), true);
    assert.equal(await frame.locator('#t-register').isHidden(), true);
    await frame.getByRole('button', { name: 'Se connecter', exact: true }).click();
    await page.waitForURL(/\/login\?/);
    const url = new URL(page.url());
    assert.equal(url.origin + url.pathname, `${site.origin}/login`);
    assert.equal(url.searchParams.get('return_to'), `${site.origin}/only`);
  } finally {
    await context.close();
    strict.stop();
  }
});

test('with logout_url, signing out in the widget signs out of the site too: its sign-out page opens, and brings the reader back', async () => {
  const leaving = await startTribune({
    TRIBUNE_SSO__ENABLED: 'true',
    TRIBUNE_SSO__KEYS: `k1=${SECRET}`,
    TRIBUNE_SSO__LOGOUT_URL: `${site.origin}/logout`,
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await leaving.ok('POST', '/admin/articles', leaving.admin, { key: 'leave', title: 'Leave' });
    const token = mint({ sub: 'site-77', email: 'sortie@example.com', name: 'Sami Sortie' });
    pages['/leave'] = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>leave</title></head>
<body><div data-tribune-article="leave" data-tribune-lang="fr" data-tribune-sso="${token}"></div>
<script src="${leaving.origin}/embed.js" async></script></body></html>`;
    pages['/logout'] = '<!doctype html><html><head><title>logout</title></head><body>Déconnexion</body></html>';
    await page.goto(site.origin + '/leave');
    const frame = await widget(page);
    await frame.getByText('Sami Sortie').first().waitFor();
    await frame.locator('#t-sign-out').click();
    await page.waitForURL(/\/logout\?/);
    const url = new URL(page.url());
    assert.equal(url.origin + url.pathname, `${site.origin}/logout`);
    assert.equal(url.searchParams.get('return_to'), `${site.origin}/leave`);
  } finally {
    await context.close();
    leaving.stop();
  }
});
