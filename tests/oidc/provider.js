// A real OpenID provider (the npm package oidc-provider) on loopback, for
// Tribune's OpenID tests (tests/api/oidc.rs, run by .ci/oidc.sh).
//
// TRIBUNE_URL names the Tribune under test: its callbacks are the clients'
// redirect URIs. Prints one line, {"issuer": "http://127.0.0.1:PORT"}, once
// it listens, and stops when its standard input closes (the test ended).
//
// Clients:
// - `tribune` (secret `tribune-secret`): a plain client;
// - `tribune-other` (secret `other-secret`): a second client of the same
//   provider;
// - `tribune-mixup` (secret `mixup-secret`): its ID tokens are re-signed,
//   with the provider's own key, for another audience (`someone-else`), as a
//   token meant for another client would be.
//
// Sign-in is driven over HTTP by the test, or in a browser: GET /auth?…
// answers 303 to /interaction/{uid}, a form; POST /interaction/{uid}/login
// with `login` (the subject), `email`, `email_verified` (true|false) and
// `name` signs that account in; consent is implied (a first-party provider).

import http from 'node:http';
import Provider from 'oidc-provider';
import { generateKeyPair, exportJWK, decodeJwt, SignJWT } from 'jose';

const tribune = process.env.TRIBUNE_URL;
if (!tribune) {
  console.error('provider.js: set TRIBUNE_URL');
  process.exit(2);
}
const callbacks = ['idp', 'other', 'mixup'].map((id) => `${tribune}/auth/oidc/${id}/callback`);

const { privateKey } = await generateKeyPair('RS256', { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };

// What each signed-in subject says about itself, as the test posted it.
const accounts = new Map();

let provider = null;
const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    console.error(e);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});

async function handle(req, res) {
  const login = req.url.match(/^\/interaction\/([\w-]+)\/login$/);
  if (login && req.method === 'POST') {
    let body = '';
    for await (const chunk of req) body += chunk;
    const form = new URLSearchParams(body);
    const sub = form.get('login');
    await provider.interactionDetails(req, res);
    accounts.set(sub, {
      sub,
      email: form.get('email') ?? `${sub}@example.ma`,
      email_verified: form.get('email_verified') !== 'false',
      name: form.get('name') ?? sub,
      preferred_username: sub,
    });
    await provider.interactionFinished(req, res, { login: { accountId: sub } },
      { mergeWithLastSubmission: false });
    return;
  }
  if (/^\/interaction\/[\w-]+$/.test(req.url) && req.method === 'GET') {
    // The sign-in form a person fills in (the browser tests do).
    await provider.interactionDetails(req, res);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test provider</title></head>
<body><form method="post" action="${req.url}/login">
<label>Login <input name="login" required></label>
<label>E-mail <input name="email" type="email"></label>
<label>Name <input name="name"></label>
<label>E-mail verified <select name="email_verified"><option>true</option><option>false</option></select></label>
<button type="submit">Sign in</button></form></body></html>`);
    return;
  }
  provider.callback()(req, res);
}

await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const client = (id, secret) => ({
  client_id: id,
  client_secret: secret,
  redirect_uris: callbacks,
  grant_types: ['authorization_code'],
  response_types: ['code'],
});

provider = new Provider(issuer, {
  clients: [
    client('tribune', 'tribune-secret'),
    client('tribune-other', 'other-secret'),
    client('tribune-mixup', 'mixup-secret'),
  ],
  jwks: { keys: [jwk] },
  cookies: { keys: ['a cookie key for tests only'] },
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'preferred_username'],
  },
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, sub) {
    const account = accounts.get(sub);
    if (!account) return undefined;
    return { accountId: sub, claims: async () => account };
  },
  // Consent is implied: every client gets the scopes it asks for.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId
      || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
});

// `tribune-mixup`'s ID tokens, properly signed, for someone else.
provider.use(async (ctx, next) => {
  await next();
  if (ctx.path === '/token' && ctx.body && typeof ctx.body.id_token === 'string'
      && ctx.oidc?.client?.clientId === 'tribune-mixup') {
    const claims = decodeJwt(ctx.body.id_token);
    ctx.body.id_token = await new SignJWT({ ...claims, aud: 'someone-else' })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid, typ: 'JWT' })
      .sign(privateKey);
  }
});

process.stdout.on('error', () => {});
console.log(JSON.stringify({ issuer }));
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
