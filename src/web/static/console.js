// Tribune's moderator's desk: queues, actions, the log, users and, for
// admins, articles, word lists, settings and stats, over the REST API.
// Keyboard as in Coral: j/k, a/r/d, b, x, 1/2/3, ?.

import { say } from './strings.js';

const lang = document.body.dataset.lang;
const $ = (id) => document.getElementById(id);
const TOKEN = 'tribune-console-token';
const QUEUES = ['pending', 'reported', 'rejected'];

let strings = {};
let token = null;
let me = null;
let view = 'pending';
let current = 0;
const selected = new Set();
try { token = localStorage.getItem(TOKEN); } catch { /* session only */ }

const plural = new Intl.PluralRules(lang);

function t(name, args = {}) {
  return say(strings, plural, name, args);
}

async function api(method, path, body) {
  const headers = { 'Accept-Language': lang };
  if (token) headers.Authorization = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch('/api/v1' + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const error = new Error(data?.error?.message ?? res.statusText);
    Object.assign(error, { code: data?.error?.code, status: res.status, fields: data?.error?.fields ?? {} });
    throw error;
  }
  return data;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function button(label, onClick, attrs = {}) {
  const b = el('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

function status(text, warn = false) {
  const line = $('k-status');
  line.classList.toggle('k-warn', warn);
  line.textContent = '';
  setTimeout(() => { line.textContent = text; }, 30);
}

// French puts a space before a colon; Arabic and English do not.
const colon = lang === 'fr' ? ' : ' : ': ';
const dayOnly = (iso) => new Intl.DateTimeFormat(lang + '-u-nu-latn', { dateStyle: 'medium' }).format(new Date(iso));
const day = (iso) => new Intl.DateTimeFormat(lang + '-u-nu-latn', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

// --- signing in ------------------------------------------------------------

function saveToken(value) {
  token = value;
  try { if (value) localStorage.setItem(TOKEN, value); else localStorage.removeItem(TOKEN); } catch { /* session only */ }
}

async function enter() {
  me = await api('GET', '/me');
  if (me.role !== 'moderator' && me.role !== 'admin') {
    await api('POST', '/auth/logout').catch(() => {});
    saveToken(null);
    me = null;
    throw new Error(t('console-readers-refused'));
  }
  $('k-sign-in-section').hidden = true;
  $('k-desk').hidden = false;
  $('k-me').hidden = false;
  $('k-me-name').replaceChildren(el('bdi', {}, me.display_name));
  for (const item of document.querySelectorAll('.k-admin')) item.hidden = me.role !== 'admin';
  await show('pending');
}

$('k-sign-in').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    const session = await api('POST', '/auth/login', { login: $('k-login').value, password: $('k-password').value });
    saveToken(session.token);
    await enter();
  } catch (e) {
    $('k-sign-in-error').textContent = e.message;
  }
});

// Sign-in with an OpenID provider: its pages open in a popup, whose last page
// (on this origin) hands the session back by postMessage.
let oidcPopup = null;
for (const button of document.querySelectorAll('.t-oidc-button')) {
  button.addEventListener('click', () => {
    const start = `/auth/oidc/${encodeURIComponent(button.dataset.provider)}/start?lang=${lang}`
      + `&return=${encodeURIComponent(location.href)}`;
    oidcPopup = window.open(start, 'tribune-oidc', 'popup,width=520,height=680');
  });
}
window.addEventListener('message', async (event) => {
  if (event.origin !== location.origin || !oidcPopup || event.source !== oidcPopup) return;
  if (event.data?.type !== 'tribune:oidc' || typeof event.data.session?.token !== 'string') return;
  oidcPopup = null;
  saveToken(event.data.session.token);
  try { await enter(); } catch (e) { $('k-sign-in-error').textContent = e.message; }
});

$('k-sign-out').addEventListener('click', async () => {
  await api('POST', '/auth/logout').catch(() => {});
  saveToken(null);
  location.reload();
});

// --- views -----------------------------------------------------------------------

const VIEWS = { notices: showNotices, appeals: showAppeals, log: showLog, users: showUsers, articles: showArticles, words: showWords, settings: showSettings, stats: showStats, transparency: showTransparency };

async function show(name, arg) {
  view = name;
  selected.clear();
  updateBulk();
  for (const b of document.querySelectorAll('#k-tabs [data-view]')) {
    if (b.dataset.view === name) b.setAttribute('aria-current', 'page'); else b.removeAttribute('aria-current');
  }
  $('k-bulk').hidden = !QUEUES.includes(name);
  try {
    if (QUEUES.includes(name)) await showQueue(name);
    else if (name === 'user') await showUser(arg);
    else await VIEWS[name]();
  } catch (e) {
    status(e.message, true);
  }
}

for (const b of document.querySelectorAll('#k-tabs [data-view]')) {
  b.addEventListener('click', () => show(b.dataset.view));
}

async function refreshTotals() {
  await Promise.all(QUEUES.map(async (q) => {
    const page = await api('GET', `/mod/queue?status=${q}&limit=1`);
    document.querySelector(`[data-total="${q}"]`).textContent = `(${page.total})`;
  }));
}

function heading(text) {
  $('k-heading').textContent = text;
}

// --- queues ----------------------------------------------------------------------------

function items() { return [...document.querySelectorAll('.k-item')]; }

async function showQueue(queue) {
  const page = await api('GET', `/mod/queue?status=${queue}&limit=50`);
  heading(`${t('console-queue-' + queue)} · ${t('console-total', { count: page.total })}`);
  refreshTotals().catch(() => {});
  if (!page.items.length) {
    $('k-view').replaceChildren(el('p', {}, t('console-queue-empty')));
    return;
  }
  const list = el('ol', { class: 'k-items' }, ...page.items.map(queueItem));
  const reason = el('div', { class: 't-field' }, el('label', { for: 'k-reason' }, t('console-reason')),
    el('input', { id: 'k-reason', name: 'reason' }));
  $('k-view').replaceChildren(reason, list);
  focusItem(Math.min(current, page.items.length - 1), false);
}

/** Badges beside a name: staff's in the moderator's language, the site's as given. */
function badges(author) {
  return (author?.badges ?? []).map((b) => el('span', { class: 'k-badge' },
    b.kind === 'staff' ? t('badge-staff') : b.label));
}

function queueItem(item) {
  const c = item.comment;
  const author = item.author;
  const body = el('div', { class: 'k-body', dir: c.dir });
  body.innerHTML = c.html; // the server's sanitized rendering
  const reports = Object.entries(item.reports).filter(([, n]) => n > 0)
    .map(([reason, n]) => `${t('report-reason-' + reason.replace('_', '-'))} × ${n}`).join(' · ');
  const meta = el('div', { class: 'k-meta' },
    el('span', {}, `${t('console-article')}${colon}`, el('bdi', {}, item.article.title)),
    author ? el('span', {}, `${t('console-author')}${colon}`,
      button(author.display_name, () => show('user', author.id), { class: 't-link' }), ' ',
      ...badges(c.author)) : null,
    author ? el('span', {}, t('console-approved-count', { count: author.approved_count })) : null,
    author ? el('span', {}, t('console-rejected-count', { count: author.rejected_count })) : null,
    author?.note_count ? el('span', { class: 'k-note-count' }, t('console-note-count', { count: author.note_count })) : null,
    c.featured ? el('strong', { class: 'k-featured' }, t('console-featured')) : null,
    author ? el('span', {}, t('console-account-age', { date: dayOnly(author.created_at) })) : null,
    author?.status === 'banned'
      ? el('strong', {}, t('console-status-banned'), author.banned_until ? ` → ${day(author.banned_until)}` : '') : null,
    el('time', { datetime: c.created_at }, day(c.created_at)));
  // Which word list entry matched, the text as written, and the disguises undone.
  const matches = (item.word_matches ?? []).map((m) => el('li', {},
    t('console-word-match', { entry: m.entry, matched: m.matched }),
    m.via.length ? ` · ${t('console-undone')} ${m.via.map((v) => t('console-via-' + v)).join(', ')}` : ''));
  const reasons = el('ul', { class: 'k-reasons', 'aria-label': t('console-reasons') },
    ...item.reasons.map((r) => el('li', {}, t('console-reason-' + r))), ...matches);
  // What reporters wrote, as text.
  const notes = item.report_notes?.length
    ? el('ul', { class: 'k-notes', 'aria-label': t('console-report-notes') },
      ...item.report_notes.map((n) => el('li', {}, `${t('report-reason-' + n.reason.replace('_', '-'))}${colon}`,
        el('bdi', {}, n.note))))
    : null;
  const check = el('input', { type: 'checkbox', id: `k-select-${c.id}` });
  check.addEventListener('change', () => toggle(c.id, check.checked));
  const li = el('li', { class: 'k-item', tabindex: '-1', 'data-id': c.id, 'data-status': c.status, 'data-author': author?.id ?? '',
    'data-featured': c.featured ? 'true' : null },
    meta, reasons, reports ? el('p', { class: 'k-meta' }, `${t('console-reports')}${colon}${reports}`) : null, notes, body,
    el('div', { class: 'k-actions' },
      el('span', {}, check, ' ', el('label', { for: check.id }, t('console-select'))),
      button(t('console-approve'), () => act(li, 'approve'), { 'aria-keyshortcuts': 'a' }),
      button(t('console-reject'), () => act(li, 'reject'), { 'aria-keyshortcuts': 'r' }),
      button(t('console-delete'), () => act(li, 'delete'), { 'aria-keyshortcuts': 'd' }),
      c.status === 'rejected' || c.status === 'deleted' ? button(t('console-restore'), () => act(li, 'restore')) : null,
      c.status === 'approved'
        ? button(t(c.featured ? 'console-unfeature' : 'console-feature'), () => feature(li), { 'aria-keyshortcuts': 'f' }) : null,
      author ? button(t('console-ban'), () => openBan(author), { 'aria-keyshortcuts': 'b' }) : null));
  li.addEventListener('focus', () => { current = items().indexOf(li); mark(); });
  return li;
}

function mark() {
  items().forEach((li, i) => li.classList.toggle('k-current', i === current));
}

function focusItem(index, scroll = true) {
  const all = items();
  if (!all.length) return;
  current = Math.max(0, Math.min(index, all.length - 1));
  all[current].focus({ preventScroll: !scroll });
  mark();
}

async function act(li, action) {
  const reason = $('k-reason')?.value.trim();
  const index = items().indexOf(li);
  try {
    // The API lets a decision overwrite another one: look first, so that a
    // moderator is told when another one acted on this comment meanwhile.
    const now = await api('GET', `/comments/${li.dataset.id}`);
    if (now.status !== li.dataset.status) throw Object.assign(new Error(), { status: 409 });
    await api('POST', `/mod/comments/${li.dataset.id}/${action}`, reason ? { reason } : {});
    li.remove();
    status(t('console-done'));
    if (!items().length) await showQueue(view); else focusItem(index);
    refreshTotals().catch(() => {});
  } catch (e) {
    if (e.status === 409 || e.status === 404) {
      // Another moderator was first: say so and show the queue as it is now.
      status(t('console-conflict'), true);
      current = index;
      await showQueue(view);
    } else {
      status(e.message, true);
    }
  }
}

/** Features the comment (a staff pick), or takes it out of the picks. */
async function feature(li) {
  const on = li.dataset.featured !== 'true';
  try {
    const c = await api(on ? 'POST' : 'DELETE', `/mod/comments/${li.dataset.id}/feature`);
    status(t(c.featured ? 'console-featured' : 'console-unfeature'));
    const index = items().indexOf(li);
    await showQueue(view);
    focusItem(index);
  } catch (e) { status(e.message, true); }
}

function toggle(id, on) {
  if (on) selected.add(id); else selected.delete(id);
  updateBulk();
}

function updateBulk() {
  $('k-selected').textContent = t('console-selected', { count: selected.size });
  for (const b of document.querySelectorAll('[data-bulk]')) b.disabled = selected.size === 0;
}

for (const b of document.querySelectorAll('[data-bulk]')) {
  b.addEventListener('click', async () => {
    const reason = $('k-reason')?.value.trim();
    try {
      const result = await api('POST', '/mod/bulk', { action: b.dataset.bulk, ids: [...selected], ...(reason ? { reason } : {}) });
      status(result.failed.length ? t('console-conflict') : t('console-done'), result.failed.length > 0);
      selected.clear();
      await showQueue(view);
    } catch (e) { status(e.message, true); }
  });
}

// --- bans ------------------------------------------------------------------------------------

let banTarget = null;

function openBan(author) {
  banTarget = author;
  $('k-ban-name').textContent = author.display_name;
  $('k-ban-error').textContent = '';
  $('k-ban-form').reset();
  $('k-ban').showModal();
  $('k-ban-reason').focus();
}

$('k-ban-cancel').addEventListener('click', () => $('k-ban').close());
$('k-ban-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const days = Number($('k-ban-days').value);
  const body = { reason: $('k-ban-reason').value };
  if (days > 0) body.until = new Date(Date.now() + days * 86400000).toISOString().replace(/\.\d+Z$/, 'Z');
  try {
    await api('POST', `/mod/users/${banTarget.id}/ban`, body);
    $('k-ban').close();
    status(t('console-done'));
    if (QUEUES.includes(view)) { await showQueue(view); } else await show('user', banTarget.id);
  } catch (e) { $('k-ban-error').textContent = e.message; }
});

// --- the log and users ---------------------------------------------------------------------------

function table(headers, rows) {
  return el('table', { class: 'k-table' },
    el('thead', {}, el('tr', {}, ...headers.map((h) => el('th', { scope: 'col' }, h)))),
    el('tbody', {}, ...rows.map((cells) => el('tr', {}, ...cells.map((c) => el('td', {}, c))))));
}

// --- the DSA's queues: notices of illegal content, appeals ---------------------------------------

/** Open notices, trusted flaggers' first; a decision on the comment settles them. */
async function showNotices() {
  heading(t('console-notices'));
  const { notices } = await api('GET', '/mod/notices?limit=100');
  if (!notices.length) {
    $('k-view').replaceChildren(el('p', {}, t('console-queue-empty')));
    return;
  }
  const decide = (n, action) => async () => {
    try {
      await api('POST', `/mod/comments/${n.comment.id}/${action}`,
        action === 'approve' ? {} : { reason: n.explanation.slice(0, 500) });
      status(t('console-done'));
    } catch (e) { status(e.message, true); }
    await showNotices();
  };
  $('k-view').replaceChildren(table(
    [t('console-date'), t('console-notice-category'), t('console-notice-explanation'), t('console-notifier'), t('console-comment'), t('console-action')],
    notices.map((n) => [
      day(n.created_at),
      t('notice-category-' + n.category.replaceAll('_', '-')),
      el('bdi', {}, n.explanation),
      el('span', {}, el('bdi', {}, n.name ?? '—'), n.trusted_flagger ? el('span', { class: 'k-badge' }, t('console-trusted-flagger')) : ''),
      n.comment ? el('bdi', { dir: n.comment.dir ?? 'auto' }, n.comment.body ?? '') : '—',
      n.comment ? el('span', {}, button(t('console-reject'), decide(n, 'reject')), ' ',
        button(t('console-delete'), decide(n, 'delete')), ' ',
        button(t('console-approve'), decide(n, 'approve'))) : '',
    ])));
}

/** Open appeals, oldest first, decided by a person other than the one who decided. */
async function showAppeals() {
  heading(t('console-appeals'));
  const { appeals } = await api('GET', '/mod/appeals?status=open&limit=100');
  if (!appeals.length) {
    $('k-view').replaceChildren(el('p', {}, t('console-queue-empty')));
    return;
  }
  const reason = el('div', { class: 't-field' }, el('label', { for: 'k-reason' }, t('console-reason')),
    el('input', { id: 'k-reason', name: 'reason' }));
  const decide = (a, outcome) => async () => {
    const why = $('k-reason').value.trim();
    try {
      await api('POST', `/mod/appeals/${a.id}/decision`, why ? { outcome, reason: why } : { outcome });
      status(t('console-done'));
    } catch (e) { status(e.message, true); }
    await showAppeals();
  };
  $('k-view').replaceChildren(reason, table(
    [t('console-date'), t('console-decision'), t('console-appeal-text'), t('console-comment'), t('console-action')],
    appeals.map((a) => [
      day(a.created_at),
      el('span', {}, t('console-decision-' + a.statement.decision), ' · ', el('bdi', {}, a.statement.facts)),
      el('bdi', {}, a.text),
      a.statement.comment ? el('bdi', {}, a.statement.comment.excerpt) : '—',
      el('span', {}, button(t('console-appeal-upheld'), decide(a, 'upheld')), ' ',
        button(t('console-appeal-reversed'), decide(a, 'reversed'))),
    ])));
}

async function showLog() {
  heading(t('console-log'));
  const { entries } = await api('GET', '/mod/log?limit=100');
  $('k-view').replaceChildren(table([t('console-date'), t('console-moderator'), t('console-action'), t('console-target'), t('console-reason')],
    entries.map((e) => [day(e.created_at), el('bdi', {}, e.actor?.display_name ?? ''), t('console-action-' + e.action),
      `${e.target_type} ${e.target_id ?? ''}`, e.reason ?? ''])));
}

async function showUser(id) {
  const s = await api('GET', `/mod/users/${id}`);
  heading(`${t('console-user-page')} · ${s.user.display_name}`);
  const parts = [
    el('p', { class: 'k-meta' }, el('bdi', {}, `@${s.user.username}`), ` · ${t('console-role-' + s.role)} · `,
      s.status === 'banned' ? t('console-status-banned') : t('console-status-active'),
      s.banned_until ? ` · ${day(s.banned_until)}` : '', s.ban_reason ? ` · ${s.ban_reason}` : ''),
    el('p', { class: 'k-meta' }, t('console-approved-count', { count: s.approved_count }), ' · ',
      t('console-rejected-count', { count: s.rejected_count })),
    el('div', { class: 'k-actions' },
      s.status === 'banned'
        ? button(t('console-unban'), async () => { await api('POST', `/mod/users/${id}/unban`); status(t('console-done')); await showUser(id); })
        : button(t('console-ban'), () => openBan({ id, display_name: s.user.display_name }))),
  ];
  if (me.role === 'admin') {
    const role = el('select', { id: 'k-role' }, ...['reader', 'moderator', 'admin'].map((r) => el('option', { value: r, selected: r === s.role }, t('console-role-' + r))));
    parts.push(el('div', { class: 'k-actions' }, el('label', { for: 'k-role' }, t('console-role')), role,
      button(t('console-role-save'), async () => {
        try { await api('PATCH', `/admin/users/${id}`, { role: role.value }); status(t('console-done')); } catch (e) { status(e.message, true); }
      })));
  }
  parts.push(await notesBlock(id));
  parts.push(el('ol', { class: 'k-items' }, ...s.recent_comments.map((c) => {
    const body = el('div', { class: 'k-body', dir: c.dir });
    body.innerHTML = c.html;
    return el('li', { class: 'k-item' }, el('div', { class: 'k-meta' }, t('console-stat-' + c.status), ' · ', day(c.created_at)), body);
  })));
  $('k-view').replaceChildren(...parts);
}

/** Moderators' notes on the account: the list, newest first, and a form to add one. */
async function notesBlock(id) {
  const { notes } = await api('GET', `/mod/users/${id}/notes`);
  const list = notes.length
    ? el('ol', { class: 'k-notes-list' }, ...notes.map((n) => el('li', { class: 'k-note', 'data-note': n.id },
      el('div', { class: 'k-meta' }, el('bdi', {}, n.author.display_name), ' · ', day(n.created_at)),
      el('p', { dir: 'auto' }, n.text),
      n.author.id === me.id || me.role === 'admin'
        ? button(t('console-note-remove'), async () => {
          try { await api('DELETE', `/mod/notes/${n.id}`); status(t('console-done')); await showUser(id); } catch (e) { status(e.message, true); }
        }) : null)))
    : el('p', {}, t('console-notes-empty'));
  const text = el('textarea', { id: 'k-note-text', rows: 2, name: 'text' });
  const error = el('p', { class: 't-error', role: 'alert' });
  const form = el('form', { class: 't-form', novalidate: '' },
    el('div', { class: 't-field' }, el('label', { for: 'k-note-text' }, t('console-note-text')), text), error,
    el('div', { class: 't-buttons' }, el('button', { type: 'submit', class: 't-primary' }, t('console-note-add'))));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api('POST', `/mod/users/${id}/notes`, { text: text.value });
      status(t('console-done'));
      await showUser(id);
    } catch (e) { error.textContent = e.fields?.text?.join(' ') ?? e.message; }
  });
  return el('section', { class: 'k-notes-block', 'aria-labelledby': 'k-notes-title' },
    el('h2', { id: 'k-notes-title' }, t('console-notes')), list, form);
}

async function showUsers() {
  heading(t('console-users'));
  const search = el('input', { id: 'k-user-q', type: 'search' });
  const results = el('div');
  const load = async () => {
    const { users } = await api('GET', `/admin/users?limit=100${search.value ? '&q=' + encodeURIComponent(search.value) : ''}`);
    results.replaceChildren(table([t('auth-username'), t('console-role'), t('console-status')], users.map((u) =>
      [button(u.display_name, () => show('user', u.id), { class: 't-link' }), t('console-role-' + u.role),
        u.status === 'banned' ? t('console-status-banned') : t('console-status-active')])));
  };
  const form = el('form', { class: 'k-actions' }, el('label', { for: 'k-user-q' }, t('console-search')), search,
    el('button', { type: 'submit' }, t('console-search')));
  form.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  $('k-view').replaceChildren(form, results);
  await load();
}

// --- admin: articles, words, settings, stats ----------------------------------------------------------

async function showArticles() {
  heading(t('console-articles'));
  const { articles } = await api('GET', '/admin/articles?limit=200');
  const key = el('input', { id: 'k-article-key', required: '' });
  const title = el('input', { id: 'k-article-title', required: '' });
  const create = el('form', { class: 'k-actions' },
    el('label', { for: key.id }, t('console-key-field')), key,
    el('label', { for: title.id }, t('console-title-field')), title,
    el('button', { type: 'submit' }, t('console-create')));
  create.addEventListener('submit', async (e) => {
    e.preventDefault();
    try { await api('POST', '/admin/articles', { key: key.value, title: title.value }); await showArticles(); } catch (err) { status(err.message, true); }
  });
  const rows = articles.map((a) => {
    const open = el('input', { type: 'checkbox', id: `k-open-${a.key}`, checked: a.comments_open });
    open.addEventListener('change', () => api('PATCH', `/admin/articles/${a.key}`, { comments_open: open.checked })
      .then(() => status(t('console-done')), (e) => status(e.message, true)));
    const mode = el('select', { 'aria-label': `${t('console-moderation-mode')} ${a.key}` },
      ...['pre', 'post'].map((m) => el('option', { value: m, selected: m === a.moderation }, t('console-mode-' + m))));
    mode.addEventListener('change', () => api('PATCH', `/admin/articles/${a.key}`, { moderation: mode.value })
      .then(() => status(t('console-done')), (e) => status(e.message, true)));
    return [el('bdi', {}, a.title), a.key, el('span', {}, open, ' ', el('label', { for: open.id }, t('console-open'))), mode, String(a.comment_count)];
  });
  $('k-view').replaceChildren(create,
    table([t('console-title-field'), t('console-key-field'), t('console-open'), t('console-moderation-mode'), t('console-count')], rows));
}

async function showWords() {
  heading(t('console-words'));
  const { words } = await api('GET', '/admin/words');
  const pattern = el('input', { id: 'k-word', required: '' });
  const kind = el('select', { id: 'k-word-kind' }, el('option', { value: 'banned' }, t('console-kind-banned')), el('option', { value: 'suspect' }, t('console-kind-suspect')));
  const add = el('form', { class: 'k-actions' }, el('label', { for: pattern.id }, t('console-word-pattern')), pattern,
    el('label', { for: kind.id }, t('console-word-kind')), kind, el('button', { type: 'submit' }, t('console-word-add')));
  add.addEventListener('submit', async (e) => {
    e.preventDefault();
    try { await api('POST', '/admin/words', { pattern: pattern.value, kind: kind.value }); await showWords(); } catch (err) { status(err.message, true); }
  });
  // Trying a text needs the word-test route; without it the field says why.
  const sample = el('textarea', { id: 'k-word-test', rows: 2 });
  const verdict = el('output', { for: 'k-word-test' });
  const tryForm = el('form', { class: 't-form' }, el('label', { for: sample.id }, t('console-word-test')), sample,
    el('button', { type: 'submit' }, t('console-word-test-run')), verdict);
  tryForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const { outcome, matches } = await api('POST', '/admin/words/test', { text: sample.value });
      verdict.textContent = [outcome, ...matches.map((m) => m.entry ?? '')].filter(Boolean).join(' · ');
    } catch (err) { verdict.textContent = err.message; }
  });
  $('k-view').replaceChildren(add, table([t('console-word-pattern'), t('console-word-kind'), t('console-action')], words.map((w) =>
    [el('bdi', {}, w.pattern), t('console-kind-' + w.kind), button(`${t('console-delete')} ${w.pattern}`, async () => {
      await api('DELETE', `/admin/words/${w.id}`); await showWords();
    })])), tryForm);
}

async function showSettings() {
  heading(t('console-settings'));
  const settings = await api('GET', '/admin/settings');
  const form = el('form', { class: 't-form' });
  for (const [name, value] of Object.entries(settings)) {
    const id = `k-set-${name}`;
    let input;
    if (typeof value === 'boolean') input = el('input', { id, type: 'checkbox', checked: value });
    else if (typeof value === 'number') input = el('input', { id, type: 'number', value });
    else input = el('select', { id }, ...['pre', 'post'].map((m) => el('option', { value: m, selected: m === value }, t('console-mode-' + m))));
    input.dataset.name = name;
    form.append(el('div', { class: 't-field' }, el('label', { for: id }, t('console-setting-' + name)), input));
  }
  form.append(el('button', { type: 'submit', class: 't-primary' }, t('console-save')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = {};
    for (const input of form.querySelectorAll('[data-name]')) {
      body[input.dataset.name] = input.type === 'checkbox' ? input.checked : input.type === 'number' ? Number(input.value) : input.value;
    }
    try { await api('PATCH', '/admin/settings', body); status(t('console-done')); } catch (err) { status(err.message, true); }
  });
  $('k-view').replaceChildren(form);
}

async function showStats() {
  heading(t('console-stats'));
  const s = await api('GET', '/admin/stats');
  const rows = [];
  for (const [group, value] of Object.entries(s)) {
    if (typeof value !== 'object') { rows.push([t('console-stat-' + group), String(value)]); continue; }
    for (const [k, n] of Object.entries(value)) rows.push([`${t('console-stat-' + group)} · ${t('console-stat-' + k)}`, String(n)]);
  }
  $('k-view').replaceChildren(table([t('console-stats'), t('console-count')], rows));
}

/** Bars for a few counts: a table (the figures, for everyone) whose last
 * column draws each count against the largest (for the eye only). */
function barChart(caption, entries, label = (k) => k) {
  const largest = Math.max(1, ...entries.map(([, n]) => n));
  const rows = entries.map(([key, n]) => {
    const bar = el('span', { class: 'k-bar' });
    bar.style.inlineSize = `${(100 * n) / largest}%`; // CSSOM, which the CSP allows
    return el('tr', {}, el('th', { scope: 'row' }, label(key)), el('td', {}, String(n)),
      el('td', { class: 'k-bar-cell', 'aria-hidden': 'true' }, bar));
  });
  if (!rows.length) rows.push(el('tr', {}, el('td', { colspan: '3' }, t('console-transparency-none'))));
  return el('table', { class: 'k-table k-chart' }, el('caption', {}, caption),
    el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, caption), el('th', { scope: 'col' }, t('console-count')),
      el('td', { 'aria-hidden': 'true' }))),
    el('tbody', {}, ...rows));
}

/** The DSA transparency report of a period (GET /admin/transparency), as figures and bars. */
async function showTransparency() {
  heading(t('console-transparency'));
  const year = new Date().getUTCFullYear();
  const from = el('input', { type: 'date', name: 'from', id: 'k-transparency-from', value: `${year}-01-01`, required: '' });
  const to = el('input', { type: 'date', name: 'to', id: 'k-transparency-to', value: `${year}-12-31`, required: '' });
  const form = el('form', { class: 'k-form' },
    el('label', { for: 'k-transparency-from' }, t('console-transparency-from')), from,
    el('label', { for: 'k-transparency-to' }, t('console-transparency-to')), to,
    el('button', { type: 'submit', class: 'k-primary' }, t('console-transparency-show')));
  const out = el('div', { id: 'k-transparency' });
  const hours = (h) => (h === null || h === undefined ? '—' : h.toLocaleString(lang, { maximumFractionDigits: 1 }));
  const category = (k) => t('notice-category-' + k.replaceAll('_', '-'));
  async function render() {
    const query = new URLSearchParams({ from: from.value, to: to.value });
    let r;
    try { r = await api('GET', `/admin/transparency?${query}`); } catch (err) { status(err.message, true); return; }
    const figures = [
      [t('console-transparency-notices'), r.notices.total],
      [t('console-transparency-notices-decided'), r.notices.decided],
      [t('console-transparency-notice-hours'), hours(r.notices.median_hours)],
      [t('console-transparency-decisions'), r.decisions.total],
      [t('console-transparency-automated'), r.decisions.automated_detection],
      [t('console-transparency-appeals'), r.appeals.total],
      [t('console-transparency-upheld'), r.appeals.upheld],
      [t('console-transparency-reversed'), r.appeals.reversed],
      [t('console-transparency-appeal-hours'), hours(r.appeals.median_hours)],
      [t('console-transparency-suspensions'), r.suspensions],
    ].map(([k, v]) => [k, String(v)]);
    const grounds = [...Object.entries(r.decisions.by_rule).map(([rule, n]) => [`rule:${rule}`, n]),
      ...(r.decisions.by_ground.illegal ? [['illegal', r.decisions.by_ground.illegal]] : [])];
    out.replaceChildren(
      table([t('console-transparency'), t('console-count')], figures),
      barChart(t('console-transparency-by-ground'), grounds,
        (k) => (k === 'illegal' ? t('console-transparency-illegal') : `${t('console-transparency-rule')} ${k.slice(5)}`)),
      barChart(t('console-transparency-by-category'), Object.entries(r.notices.by_category), category),
      barChart(t('console-transparency-by-decision'), Object.entries(r.decisions.by_decision),
        (k) => t('console-transparency-decision-' + k.replaceAll('_', '-'))));
    status(t('console-done'));
  }
  form.addEventListener('submit', (e) => { e.preventDefault(); render(); });
  $('k-view').replaceChildren(form, out);
  await render();
}

// --- the keyboard ---------------------------------------------------------------------------------

$('k-help-open').addEventListener('click', () => $('k-help').showModal());

document.addEventListener('keydown', (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || !me) return;
  if (event.target.closest('input, textarea, select, dialog')) return;
  const li = items()[current];
  const key = event.key;
  if (key === '?') { $('k-help').showModal(); }
  else if (['1', '2', '3'].includes(key)) { current = 0; show(QUEUES[Number(key) - 1]); }
  else if (!QUEUES.includes(view) || !li) return;
  else if (key === 'j') focusItem(current + 1);
  else if (key === 'k') focusItem(current - 1);
  else if (key === 'a') act(li, 'approve');
  else if (key === 'r') act(li, 'reject');
  else if (key === 'd') act(li, 'delete');
  else if (key === 'f') { if (li.dataset.status === 'approved') feature(li); else status(t('error-not-approved'), true); }
  else if (key === 'x') { const box = li.querySelector('input[type=checkbox]'); box.checked = !box.checked; toggle(Number(li.dataset.id), box.checked); }
  else if (key === 'b') { if (li.dataset.author) li.querySelector('[aria-keyshortcuts="b"]').click(); }
  else return;
  event.preventDefault();
});

async function start() {
  strings = (await api('GET', `/i18n/${lang}`)).strings;
  updateBulk();
  if (token) {
    try { await enter(); } catch { saveToken(null); }
  }
  document.body.dataset.ready = 'true';
}

start();
