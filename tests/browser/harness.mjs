// Starts the real Tribune binary on a free port with a fresh database, a
// second server on another origin for the "news site" pages, and Debian's
// Chromium through playwright-core. Black-box: everything goes over HTTP.

import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '..', '..');
const binary = process.env.TRIBUNE_BIN ?? join(repo, 'target', 'debug', 'tribune');
const browserPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const PASSWORD = 'a long password';
export const screenshots = join(repo, 'target', 'browser-screenshots');

export function freePort() {
  return new Promise((ok, fail) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
    server.on('error', fail);
  });
}

/** A running Tribune with an admin named `chef`; on `port` when given
 * (for a test whose other servers must know Tribune's address first). */
export async function startTribune(settings = {}, { port: chosen } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tribune-browser-'));
  const port = chosen ?? await freePort();
  const env = {
    ...process.env,
    TRIBUNE_DATABASE__URL: `sqlite://${join(dir, 'tribune.db')}`,
    TRIBUNE_SERVER__BIND: `127.0.0.1:${port}`,
    TRIBUNE_SERVER__WORKERS: '2',
    TRIBUNE_RATE_LIMIT__ENABLED: 'false',
    TRIBUNE_AUTH__ARGON2_MEMORY_KIB: '64',
    TRIBUNE_AUTH__ARGON2_ITERATIONS: '1',
    TRIBUNE_LOG__LEVEL: 'warn',
    RUST_LOG: 'warn',
    ...settings,
  };
  execFileSync(binary, ['create-admin', '--username', 'chef', '--email', 'chef@example.com'],
    { env: { ...env, TRIBUNE_ADMIN_PASSWORD: PASSWORD }, cwd: dir, stdio: 'pipe' });
  const child = spawn(binary, ['serve'], { env, cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  const origin = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(origin + '/healthz')).ok) break;
    } catch { /* not up yet */ }
    if (i > 200) throw new Error('Tribune did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  const app = {
    origin,
    async call(method, path, token, body) {
      const headers = {};
      if (token) headers.Authorization = 'Bearer ' + token;
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(origin + '/api/v1' + path,
        { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    async ok(method, path, token, body) {
      const res = await app.call(method, path, token, body);
      if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async login(name) {
      return (await app.ok('POST', '/auth/login', null, { login: name, password: PASSWORD })).token;
    },
    async register(name, email = `${name}@example.com`) {
      const res = await app.ok('POST', '/auth/register', null,
        { username: name, email, password: PASSWORD });
      return { id: res.user.id, token: res.token, name };
    },
    stop() {
      child.kill('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  app.admin = await app.login('chef');
  return app;
}

/**
 * The news site: pages on another origin (`localhost`, where Tribune is on
 * `127.0.0.1`), so the widget runs cross-origin as it does in production.
 */
export async function startSite(pages) {
  const port = await freePort();
  const server = createServer((req, res) => {
    const page = pages[req.url.split('?')[0]];
    if (!page) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(page);
  });
  await new Promise((ok) => server.listen(port, '127.0.0.1', ok));
  return { origin: `http://localhost:${port}`, stop: () => server.close() };
}

/** The documented snippet on a plain article page. */
export function articlePage(tribune, { key, lang, title = 'Le budget 2027', theme, extraHead = '' }) {
  const langAttr = lang ? ` data-tribune-lang="${lang}"` : '';
  const themeAttr = theme ? ` data-tribune-theme="${theme}"` : '';
  return `<!doctype html><html lang="${lang ?? 'fr'}"><head><meta charset="utf-8"><title>${title}</title>${extraHead}</head>
<body><h1>${title}</h1><p>Article.</p>
<div data-tribune-article="${key}"${langAttr}${themeAttr}
     data-tribune-title="${title}" data-tribune-url="https://site.example/${key}"></div>
<script src="${tribune.origin}/embed.js" async></script>
</body></html>`;
}

export async function launch() {
  return chromium.launch({ executablePath: browserPath, args: ['--no-sandbox'] });
}

/** The widget's frame once its script is ready. */
export async function widget(page) {
  const handle = await page.waitForSelector('iframe[src*="/embed/"]');
  const frame = await handle.contentFrame();
  await frame.waitForSelector('#tribune[data-ready="true"]');
  return frame;
}

export function shotPath(name) {
  mkdirSync(screenshots, { recursive: true });
  return join(screenshots, name);
}

/** Runs axe-core in a frame or page; returns serious and critical violations. */
export async function axe(target) {
  const source = join(repo, 'tests', 'browser', 'node_modules', 'axe-core', 'axe.min.js');
  await target.addScriptTag({ path: source }).catch(async () => {
    // CSP forbids inline scripts in Tribune's pages: evaluate instead.
    const { readFileSync } = await import('node:fs');
    await target.evaluate(readFileSync(source, 'utf8'));
  });
  const result = await target.evaluate(async () => window.axe.run(document));
  return result.violations.filter((v) => ['serious', 'critical'].includes(v.impact));
}
