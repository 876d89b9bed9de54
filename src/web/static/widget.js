// Tribune's comment widget: makes the server-rendered thread of /embed/{key}
// interactive. Runs inside Tribune's own iframe, so the reader's token stays
// on Tribune's origin. Every string comes from /api/v1/i18n/{lang}, but for
// the few a comment's own markup carries (see `part` below).

import { say } from './strings.js';

const root = document.getElementById('tribune');
const lang = root.dataset.lang;
const key = root.dataset.article;
const open = root.dataset.open === 'true';
const editWindowMs = Number(root.dataset.editWindow) * 60000;
const maxDepth = Number(root.dataset.maxDepth);
const $ = (id) => document.getElementById(id);
const thread = $('t-thread');
const live = $('t-live');
const TOKEN = 'tribune-token';
// The site's own sign-in (docs/sso.md): on, readers only through it, its page.
const sso = root.dataset.sso === 'true';
const ssoOnly = root.dataset.ssoOnly === 'true';
const loginUrl = root.dataset.loginUrl || '';
const logoutUrl = root.dataset.logoutUrl || '';
const SORT = 'tribune-sort';
const SORTS = ['oldest', 'newest', 'top'];

let strings = {};
let me = null;
let sort = 'oldest';
let token = null;
try { token = localStorage.getItem(TOKEN); } catch { /* storage blocked: session only */ }
// The reader's sort lasts the session (this tab); where storage is blocked
// it lasts until the page is reloaded.
try { sort = SORTS.includes(sessionStorage.getItem(SORT)) ? sessionStorage.getItem(SORT) : sort; } catch { /* memory only */ }

function saveSort(value) {
  sort = value;
  try { sessionStorage.setItem(SORT, value); } catch { /* memory only */ }
}

// --- strings -------------------------------------------------------------

const plural = new Intl.PluralRules(lang);

function t(name, args = {}) {
  return say(strings, plural, name, args);
}

function formatDate(iso) {
  return new Intl.DateTimeFormat(lang + '-u-nu-latn', { dateStyle: 'long', timeStyle: 'short' })
    .format(new Date(iso));
}

function relative(iso) {
  const minutes = Math.floor((Date.now() - Date.parse(iso)) / 60000);
  if (minutes < 1) return t('time-just-now');
  if (minutes < 60) return t('time-minutes-ago', { count: minutes });
  if (minutes < 1440) return t('time-hours-ago', { count: Math.floor(minutes / 60) });
  return t('time-days-ago', { count: Math.floor(minutes / 1440) });
}

function refreshTimes() {
  for (const time of thread.querySelectorAll('time.t-c-time')) {
    time.textContent = relative(time.dateTime);
    time.title = formatDate(time.dateTime);
  }
}

// --- the API ---------------------------------------------------------------

async function api(method, path, body) {
  const headers = { 'Accept-Language': lang };
  if (token) headers.Authorization = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch('/api/v1' + path, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = res.status === 204 ? null : await res.json().catch(() => null);
  if (!res.ok) {
    const error = new Error(data?.error?.message ?? res.statusText);
    error.code = data?.error?.code;
    error.fields = data?.error?.fields ?? {};
    error.status = res.status;
    throw error;
  }
  return data;
}

function announce(text) {
  live.textContent = '';
  // A fresh text node is announced even when the words repeat.
  setTimeout(() => { live.textContent = text; }, 50);
}

/** Field errors next to their field; the rest in the form's own line. */
function showErrors(form, error, general) {
  for (const p of form.querySelectorAll('.t-error')) p.textContent = '';
  let placed = false;
  for (const [field, messages] of Object.entries(error.fields ?? {})) {
    const slot = form.querySelector(`[data-error="${CSS.escape(field)}"]`) ?? $(`t-${field}-error`);
    if (slot && form.contains(slot)) { slot.textContent = messages.join(' '); placed = true; }
  }
  if (!placed && general) general.textContent = error.message;
}

// --- rendering -------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

function byId(id) { return $('c-' + id); }

// One home for a comment's markup: templates/comment.html. The page draws the
// first comments with it and holds it once more, blank, in <template
// id="t-comment"> (a deleted comment's body in #t-comment-deleted). A comment
// that comes later is a copy of that blank, filled in here, so the two cannot
// drift apart; the blank carries the words it shows (edited, deleted, staff).
function part(template, selector) {
  return $(template).content.querySelector(selector).cloneNode(true);
}

/** Sets an attribute as `el` does: null, undefined and false leave it out. */
function attr(node, name, value) {
  if (value === null || value === undefined || value === false) node.removeAttribute(name);
  else node.setAttribute(name, value);
}

function bodyNode(c) {
  if (c.status === 'deleted') return part('t-comment-deleted', '.t-c-body');
  const body = part('t-comment', '.t-c-body');
  attr(body, 'dir', c.dir);
  body.innerHTML = c.html; // the server's sanitized rendering, never the raw text
  return body;
}

function notices(c) {
  if (c.status === 'pending') return [el('p', { class: 't-c-notice' }, t('comment-pending-notice'))];
  if (c.status === 'rejected') return [el('p', { class: 't-c-notice t-c-refused' }, t('comment-rejected-notice'))];
  return [];
}

/** Badges beside a name: staff's in the reader's language, the site's as given. */
function badgeNodes(author) {
  return (author.badges ?? []).map((b) => {
    if (b.kind === 'staff') return part('t-comment', '.t-badge-staff');
    const badge = part('t-comment', '.t-badge:not(.t-badge-staff)');
    badge.textContent = b.label;
    return badge;
  });
}

function commentNode(c, depth) {
  const li = part('t-comment', '.t-c');
  const attrs = {
    id: 'c-' + c.id, 'data-id': c.id, 'data-author': c.author?.id ?? '',
    'data-status': c.status, 'data-depth': depth, 'data-created': c.created_at,
    'data-reactions': c.reactions ?? 0, 'data-reacted': c.reacted ? 'true' : null,
    'data-featured': c.featured ? 'true' : null,
  };
  for (const [name, value] of Object.entries(attrs)) attr(li, name, value);
  const head = li.querySelector('.t-c-head');
  const name = head.querySelector('.t-c-author');
  head.querySelectorAll('.t-badge').forEach((b) => b.remove());
  if (c.author) {
    name.textContent = c.author.display_name;
    name.after(...badgeNodes(c.author));
  } else {
    name.nextSibling.remove(); // the space before the time
    name.remove();
  }
  const time = head.querySelector('.t-c-time');
  time.setAttribute('datetime', c.created_at);
  time.textContent = relative(c.created_at);
  const edited = head.querySelector('.t-c-edited');
  if (!c.edited_at) {
    edited.previousSibling.remove(); // the space before the mark
    edited.remove();
  }
  const body = bodyNode(c);
  li.querySelector('.t-c-body').replaceWith(body);
  body.after(...notices(c));
  decorate(li);
  return li;
}

/** Places comments of a page: replies under their parent when it is shown. */
function place(comments, { atStart = false } = {}) {
  const made = new Map();
  for (const c of comments) {
    // Pages by reactions may list a comment twice while counts move: keep the first.
    if (byId(c.id)) continue;
    const parent = c.parent_id && (made.get(c.parent_id) ?? byId(c.parent_id));
    const depth = parent ? Number(parent.dataset.depth) + 1 : 1;
    const node = commentNode(c, depth);
    made.set(c.id, node);
    const list = parent ? parent.querySelector(':scope > .t-replies') : thread;
    if (atStart && !parent) list.prepend(node); else list.append(node);
  }
  $('t-empty').hidden = thread.children.length > 0;
  refreshTimes();
}

function setMore(cursor) {
  const more = $('t-more');
  more.dataset.cursor = cursor ?? '';
  more.hidden = !cursor;
}

async function loadPage(cursor) {
  const query = new URLSearchParams({ sort, limit: '50' });
  if (cursor) query.set('cursor', cursor);
  const page = await api('GET', `/articles/${encodeURIComponent(key)}/comments?${query}`);
  if (!cursor) thread.replaceChildren();
  place(page.comments);
  setMore(page.next_cursor);
  $('t-count').textContent = t('comment-count', { count: page.article.comment_count });
}

// --- actions on a comment ------------------------------------------------------

function button(label, onClick, extra = {}) {
  const b = el('button', { type: 'button', class: 't-link', ...extra }, label);
  b.addEventListener('click', onClick);
  return b;
}

/** The one reaction: a toggle for readers who may mark, a count for the others. */
function reaction(li, mayMark) {
  const count = el('span', { class: 't-r-count' }, String(li.dataset.reactions ?? 0));
  if (!mayMark) {
    if (li.dataset.reactions === '0') return [];
    return [el('span', { class: 't-r t-r-static' }, t('reaction-name'), ' ', count)];
  }
  const pressed = li.dataset.reacted === 'true';
  const b = el('button', { type: 'button', class: 't-r', 'aria-pressed': String(pressed),
    title: t('reaction-hint') }, t('reaction-name'), ' ', count);
  b.addEventListener('click', async () => {
    const on = b.getAttribute('aria-pressed') !== 'true';
    try {
      const r = await api(on ? 'PUT' : 'DELETE', `/comments/${li.dataset.id}/reaction`);
      li.dataset.reactions = r.reactions;
      if (r.reacted) li.dataset.reacted = 'true'; else delete li.dataset.reacted;
      b.setAttribute('aria-pressed', String(r.reacted));
      count.textContent = String(r.reactions);
    } catch (e) { announce(e.message); }
  });
  return [b];
}

function decorate(li) {
  const actions = li.querySelector(':scope > .t-c-main > .t-c-actions');
  actions.replaceChildren();
  const status = li.dataset.status;
  if (status === 'deleted') return;
  const own = me && li.dataset.author === String(me.id);
  const banned = me?.status === 'banned';
  if (status === 'approved') actions.append(...reaction(li, Boolean(me) && !own && !banned));
  if (me) {
    const fresh = Date.now() - Date.parse(li.dataset.created) < editWindowMs;
    if (open && !banned && status === 'approved' && Number(li.dataset.depth) < maxDepth) {
      actions.append(button(t('comment-reply'), () => replyForm(li)));
    }
    if (own && fresh && open && !banned) actions.append(button(t('comment-edit'), () => editForm(li)));
    if (own && fresh && !banned) actions.append(button(t('comment-delete'), () => remove(li)));
    if (!own && !banned) actions.append(button(t('comment-report'), () => reportForm(li)));
  }
  // Anyone, signed in or not, may notify illegal content (DSA Art. 16).
  if (status === 'approved' && !own) actions.append(button(t('notice-open'), () => noticeForm(li)));
}

function closeForms(li) {
  li.querySelector(':scope > .t-c-main > form')?.remove();
}

function textForm(label, initial, submitLabel, onSubmit, onCancel) {
  const area = el('textarea', { rows: 3, 'aria-label': label, name: 'body' });
  area.value = initial;
  const error = el('p', { class: 't-error', role: 'alert', 'data-error': 'body' });
  const form = el('form', { class: 't-form t-inline', novalidate: '' }, area, error,
    el('div', { class: 't-buttons' }, el('button', { type: 'submit', class: 't-primary' }, submitLabel), ' ',
      button(t('comment-cancel'), onCancel)));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try { await onSubmit(area.value); } catch (e) { showErrors(form, e, error); }
  });
  return [form, area];
}

function replyForm(li) {
  closeForms(li);
  const name = li.querySelector(':scope > .t-c-main .t-c-author')?.textContent ?? '';
  const [form, area] = textForm(t('comment-reply-to', { name }), '', t('comment-post'), async (text) => {
    const c = await postComment({ body: text, parent_id: Number(li.dataset.id) });
    form.remove();
    posted(c);
  }, () => { form.remove(); });
  li.querySelector(':scope > .t-c-main').append(form);
  area.focus();
}

async function editForm(li) {
  closeForms(li);
  const main = li.querySelector(':scope > .t-c-main');
  // The page holds the rendered HTML; the text as written comes from the API.
  const current = (await api('GET', `/comments/${li.dataset.id}`)).body;
  const [form, area] = textForm(t('comment-placeholder'), current, t('comment-save'), async (text) => {
    const c = await api('PATCH', `/comments/${li.dataset.id}`, { body: text });
    form.remove();
    const fresh = commentNode(c, Number(li.dataset.depth));
    fresh.querySelector(':scope > .t-replies').replaceWith(li.querySelector(':scope > .t-replies'));
    li.replaceWith(fresh);
    refreshTimes();
    fresh.querySelector('button')?.focus();
  }, () => { form.remove(); });
  main.append(form);
  area.focus();
}

async function remove(li) {
  try {
    await api('DELETE', `/comments/${li.dataset.id}`);
  } catch (e) { announce(e.message); return; }
  const replies = li.querySelector(':scope > .t-replies');
  if (replies.children.length) {
    li.dataset.status = 'deleted';
    li.querySelector('.t-c-body').replaceWith(bodyNode({ status: 'deleted' }));
    li.querySelector('.t-c-author')?.remove();
    li.querySelectorAll(':scope > .t-c-main > .t-c-notice').forEach((n) => n.remove());
    decorate(li);
  } else {
    li.remove();
  }
  announce(t('comment-deleted'));
  $('t-empty').hidden = thread.children.length > 0;
}

function reportForm(li) {
  closeForms(li);
  const id = li.dataset.id;
  const reason = el('select', { id: `t-reason-${id}`, name: 'reason' },
    ...['abusive', 'off_topic', 'spam', 'other'].map((r) =>
      el('option', { value: r }, t('report-reason-' + r.replace('_', '-')))));
  const note = el('textarea', { id: `t-note-${id}`, rows: 2, name: 'note' });
  const error = el('p', { class: 't-error', role: 'alert' });
  const form = el('form', { class: 't-form t-inline', novalidate: '', 'aria-label': t('report-title') },
    el('div', { class: 't-field' }, el('label', { for: reason.id }, t('report-reason')), reason),
    el('div', { class: 't-field' }, el('label', { for: note.id }, t('report-note')), note,
      el('p', { class: 't-error', 'data-error': 'note' })),
    error,
    el('div', { class: 't-buttons' }, el('button', { type: 'submit', class: 't-primary' }, t('report-send')), ' ',
      button(t('comment-cancel'), () => form.remove())));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { reason: reason.value };
    if (note.value.trim()) body.note = note.value;
    try {
      await api('POST', `/comments/${id}/reports`, body);
      form.replaceChildren(el('p', { class: 't-sent', role: 'status' }, t('report-sent')));
    } catch (e) { showErrors(form, e, error); }
  });
  li.querySelector(':scope > .t-c-main').append(form);
  reason.focus();
}

/** The DSA Transparency Database's categories, as the API takes them. */
const NOTICE_CATEGORIES = ['illegal_or_harmful_speech', 'violence', 'protection_of_minors',
  'data_protection_and_privacy_violations', 'scams_and_fraud', 'intellectual_property_infringements',
  'negative_effects_on_civic_discourse_or_elections', 'non_consensual_behaviour',
  'pornography_or_sexualized_content', 'risk_for_public_security', 'self_harm',
  'unsafe_and_illegal_products', 'animal_welfare', 'scope_of_platform_service'];

/** A notice of illegal content (DSA Art. 16): no account needed. */
function noticeForm(li) {
  closeForms(li);
  const id = li.dataset.id;
  const field = (name, control, hint) => el('div', { class: 't-field' },
    el('label', { for: control.id }, t('notice-' + name)), control,
    hint ? el('p', { class: 't-hint' }, hint) : '',
    el('p', { class: 't-error', 'data-error': name.replace('-', '_') }));
  const category = el('select', { id: `t-n-category-${id}`, name: 'category' },
    ...NOTICE_CATEGORIES.map((c) => el('option', { value: c }, t('notice-category-' + c.replaceAll('_', '-')))));
  const explanation = el('textarea', { id: `t-n-explanation-${id}`, rows: 4, name: 'explanation', minlength: 20, maxlength: 5000 });
  const name = el('input', { id: `t-n-name-${id}`, name: 'name', autocomplete: 'name', value: me?.display_name ?? '' });
  const email = el('input', { id: `t-n-email-${id}`, name: 'email', type: 'email', autocomplete: 'email' });
  const faith = el('input', { id: `t-n-good-faith-${id}`, name: 'good_faith', type: 'checkbox' });
  const error = el('p', { class: 't-error', role: 'alert' });
  const form = el('form', { class: 't-form t-inline t-notice', novalidate: '', 'aria-label': t('notice-title') },
    el('p', { class: 't-hint' }, t('notice-intro')),
    field('category', category),
    field('explanation', explanation),
    field('name', name, t('notice-identity-hint')),
    field('email', email),
    el('div', { class: 't-field t-check' }, faith, ' ', el('label', { for: faith.id }, t('notice-good-faith')),
      el('p', { class: 't-error', 'data-error': 'good_faith' })),
    error,
    el('div', { class: 't-buttons' }, el('button', { type: 'submit', class: 't-primary' }, t('notice-send')), ' ',
      button(t('comment-cancel'), () => form.remove())));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { category: category.value, explanation: explanation.value, good_faith: faith.checked };
    if (name.value.trim()) body.name = name.value;
    if (email.value.trim()) body.email = email.value;
    try {
      await api('POST', `/comments/${id}/notices`, body);
      form.replaceChildren(el('p', { class: 't-sent', role: 'status' }, t('notice-sent')));
    } catch (e) { showErrors(form, e, error); }
  });
  li.querySelector(':scope > .t-c-main').append(form);
  category.focus();
}

/** A comment just written by the reader: shown with its state, announced. */
function posted(c) {
  const parent = c.parent_id && byId(c.parent_id);
  const node = commentNode(c, parent ? Number(parent.dataset.depth) + 1 : 1);
  if (parent) parent.querySelector(':scope > .t-replies').append(node);
  else if (sort === 'newest') thread.prepend(node);
  else if (sort === 'top') thread.append(node); // no marks yet: among the last
  else thread.append(node);
  $('t-empty').hidden = true;
  refreshTimes();
  const words = c.status === 'approved' ? t('comment-posted')
    : c.status === 'pending' ? t('comment-pending-notice') : t('comment-rejected-notice');
  announce(words);
  if (c.status === 'approved') {
    api('GET', `/articles/${encodeURIComponent(key)}`)
      .then((a) => { $('t-count').textContent = t('comment-count', { count: a.comment_count }); })
      .catch(() => {});
  }
}

// --- live: comments posted while the reader reads ----------------------------

/** Public comments that arrived since the page was drawn, not yet shown. */
const arrived = new Map();

/**
 * The reader's own comments are never news to them. The POST's answer and
 * the stream's event race: an event that comes while a post of this widget
 * waits for its answer is held until the answer says whose it is.
 */
const mine = new Set();
const held = new Map();
let posting = 0;

/** POST a comment (or a reply) to this thread; its id becomes one of `mine`. */
async function postComment(body) {
  posting += 1;
  try {
    const c = await api('POST', `/articles/${encodeURIComponent(key)}/comments`, body);
    mine.add(c.id);
    return c;
  } finally {
    posting -= 1;
    if (posting === 0) releaseHeld();
  }
}

/** The posts are answered: what was held and is someone else's is news. */
function releaseHeld() {
  let added = false;
  for (const c of held.values()) {
    if (!mine.has(c.id) && !byId(c.id)) {
      arrived.set(c.id, c);
      added = true;
    }
  }
  held.clear();
  if (added) showArrived();
}

function showArrived() {
  // Shown since (a reset drew the page again) or written here: not new.
  for (const id of [...arrived.keys()]) if (byId(id) || mine.has(id)) arrived.delete(id);
  const button = $('t-new');
  button.hidden = arrived.size === 0;
  // "No comments" no longer holds once some are waiting to be shown.
  $('t-empty').hidden = thread.children.length > 0 || arrived.size > 0;
  if (arrived.size) {
    button.textContent = t('live-new-comments', { count: arrived.size });
    announce(button.textContent);
  }
  reportHeight();
}

/** The reader asked to see them: into the thread, focus on the first one. */
function insertArrived() {
  const comments = [...arrived.values()].sort((a, b) => a.id - b.id);
  arrived.clear();
  place(comments.filter((c) => !byId(c.id)), { atStart: sort === 'newest' });
  showArrived();
  const first = comments.map((c) => byId(c.id)).find(Boolean);
  if (first) {
    first.tabIndex = -1;
    first.focus();
  }
}

/** A comment became public, or a public one was edited. */
function liveComment(c) {
  const shown = byId(c.id);
  if (!shown) {
    if (mine.has(c.id)) return; // posted here: the answer draws it
    if (posting > 0) {
      held.set(c.id, c); // perhaps ours: the answer will tell
      return;
    }
    arrived.set(c.id, c);
    showArrived();
    return;
  }
  if (shown.dataset.status === 'approved' && !c.edited_at) return; // as drawn
  if (shown.querySelector(':scope > .t-c-main > form')) return; // being edited here
  const fresh = commentNode(c, Number(shown.dataset.depth));
  fresh.querySelector(':scope > .t-replies').replaceWith(shown.querySelector(':scope > .t-replies'));
  shown.replaceWith(fresh);
  refreshTimes();
}

/** A comment the reader may have seen was taken down. */
function liveTombstone(c) {
  held.delete(c.id);
  if (arrived.delete(c.id)) showArrived();
  const shown = byId(c.id);
  if (!shown) return;
  if (shown.querySelector(':scope > .t-replies').children.length) {
    shown.dataset.status = 'deleted';
    shown.querySelector('.t-c-body').replaceWith(bodyNode(c));
    shown.querySelector('.t-c-author')?.remove();
    decorate(shown);
  } else {
    shown.remove();
  }
  $('t-empty').hidden = thread.children.length > 0;
}

/** Follows the thread's public changes (GET /articles/{key}/events). */
function follow() {
  if (!('EventSource' in window)) return;
  const source = new EventSource(`/api/v1/articles/${encodeURIComponent(key)}/events`);
  const data = (event) => JSON.parse(event.data);
  source.addEventListener('open', () => { root.dataset.live = 'open'; });
  source.addEventListener('comment', (e) => liveComment(data(e)));
  source.addEventListener('tombstone', (e) => liveTombstone(data(e)));
  source.addEventListener('count', (e) => {
    $('t-count').textContent = t('comment-count', { count: data(e).comment_count });
  });
  source.addEventListener('reactions', (e) => {
    const { comment_id: id, reactions } = data(e);
    const li = byId(id);
    if (!li) return;
    li.dataset.reactions = reactions;
    const count = li.querySelector(':scope > .t-c-main .t-r-count');
    if (count) count.textContent = String(reactions); else decorate(li);
  });
  source.addEventListener('reset', () => { loadPage(null).catch(() => {}); });
  // The browser reconnects by itself after a network error; a refusal
  // (server full, too many tabs) closes the source: try again later.
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) setTimeout(follow, 30000);
  });
}

$('t-new').addEventListener('click', insertArrived);

// --- the reader's account --------------------------------------------------

/** `keep`: a password session is kept in the frame's storage; a session from
 * the site's sign-in lives in memory only (the page hands a token on each load). */
function saveToken(value, keep = true) {
  token = value;
  try {
    if (value && keep) localStorage.setItem(TOKEN, value); else localStorage.removeItem(TOKEN);
  } catch { /* session only */ }
}

/** The popup of a sign-in with an OpenID provider, while one is open. */
let oidcPopup = null;

// Only the popup this frame opened, on Tribune's own origin, hands a session.
window.addEventListener('message', (event) => {
  if (event.origin !== location.origin || !oidcPopup || event.source !== oidcPopup) return;
  if (event.data?.type !== 'tribune:oidc' || typeof event.data.session?.token !== 'string') return;
  oidcPopup = null;
  const session = event.data.session;
  ready.then(() => signedIn(session)).catch((e) => {
    const slot = $('t-oidc-error');
    if (slot) slot.textContent = e.message;
  });
});

/** Readers sign in through the site: no form of Tribune's is shown. */
const siteSignIn = sso && (ssoOnly || Boolean(loginUrl));
/** Whether the session came from the site's sign-in. */
let fromSite = false;

function showAccount() {
  if (!open) return;
  const signedIn = Boolean(me);
  $('t-hint').hidden = true;
  $('t-auth').hidden = signedIn;
  $('t-me').hidden = !signedIn;
  const banned = signedIn && me.status === 'banned';
  $('t-compose').hidden = !signedIn || banned;
  const notice = $('t-banned');
  notice.hidden = !banned;
  if (banned) {
    notice.textContent = me.banned_until
      ? t('banned-notice-until', { until: formatDate(me.banned_until) })
      : t('banned-notice-permanent');
  }
  if (signedIn) {
    $('t-me-label').replaceChildren(...t('auth-signed-in-as', { name: '\u0000' }).split('\u0000')
      .flatMap((part, i) => (i ? [el('bdi', {}, me.display_name), ...badgeNodes(me), part] : [part])));
  }
}

/** The site's sign-in in place of the forms: its page's button, or a hint. */
function showSiteSignIn() {
  $('t-sign-in').hidden = true;
  $('t-register').hidden = true;
  const error = el('p', { class: 't-error', id: 't-sso-error', role: 'alert' });
  const parts = loginUrl
    ? [el('button', { type: 'button', class: 't-primary', id: 't-site-sign-in' }, t('auth-sign-in'))]
    : [el('p', { class: 't-hint' }, t('auth-sso-hint'))];
  $('t-auth').append(...parts, error);
  // The site's page opens in the top window, and brings the reader back here.
  // The loader builds the address (it knows the page); the frame only asks.
  $('t-site-sign-in')?.addEventListener('click', () => {
    window.parent.postMessage({ type: 'tribune:sign-in', url: loginUrl }, '*');
  });
}

/** A token signed by the site, exchanged for a session kept in memory only. */
async function siteLogin(siteToken) {
  try {
    const session = await api('POST', '/auth/sso', { token: siteToken });
    saveToken(session.token, false);
    fromSite = true;
    me = session.user;
    showAccount();
    await loadPage(null);
  } catch (e) {
    const slot = $('t-sso-error') ?? $('t-sign-in-error');
    if (slot) slot.textContent = e.message;
    announce(e.message);
  }
}

async function signOut() {
  if (token) {
    try { await api('POST', '/auth/logout'); } catch { /* the token is dropped all the same */ }
  }
  saveToken(null);
  fromSite = false;
  me = null;
  showAccount();
  await loadPage(null);
}

async function signedIn(session) {
  if (session) { saveToken(session.token); me = session.user; } else { me = await api('GET', '/me'); }
  showAccount();
  await loadPage(null);
}

function wireAccount() {
  if (!open) return;
  const signIn = $('t-sign-in');
  const register = $('t-register');
  $('t-show-register').addEventListener('click', () => {
    signIn.hidden = true; register.hidden = false; $('t-username').focus();
  });
  $('t-show-sign-in').addEventListener('click', () => {
    register.hidden = true; signIn.hidden = false; $('t-login').focus();
  });
  signIn.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await signedIn(await api('POST', '/auth/login',
        { login: $('t-login').value, password: $('t-login-password').value }));
      $('t-body').focus();
    } catch (e) { showErrors(signIn, e, $('t-sign-in-error')); }
  });
  register.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = { username: $('t-username').value, email: $('t-email').value,
      password: $('t-password').value, locale: lang };
    if ($('t-display-name').value.trim()) body.display_name = $('t-display-name').value;
    try {
      await signedIn(await api('POST', '/auth/register', body));
      $('t-body').focus();
    } catch (e) { showErrors(register, e, $('t-register-error')); }
  });
  $('t-sign-out').addEventListener('click', async () => {
    // A reload would have the page hand the site's token again: no reload then.
    if (fromSite) {
      await signOut();
      // Signed out of the site too, on its own page (sso.logout_url), or the
      // site would sign the reader in again on the next page.
      if (logoutUrl) window.parent.postMessage({ type: 'tribune:sign-out', url: logoutUrl }, '*');
      $('t-auth').querySelector('button')?.focus();
      return;
    }
    try { await api('POST', '/auth/logout'); } catch { /* the token is dropped all the same */ }
    saveToken(null);
    me = null;
    location.reload();
  });
  if (siteSignIn) showSiteSignIn();
  // Sign-in with an OpenID provider: its pages open in a popup, whose last
  // page (on Tribune's origin, like this frame) hands the session back.
  for (const button of document.querySelectorAll('.t-oidc-button')) {
    button.addEventListener('click', () => {
      const start = `/auth/oidc/${encodeURIComponent(button.dataset.provider)}/start?lang=${lang}`
        + `&return=${encodeURIComponent(location.href)}`;
      oidcPopup = window.open(start, 'tribune-oidc', 'popup,width=520,height=680');
    });
  }
  const compose = $('t-compose');
  compose.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const c = await postComment({ body: $('t-body').value });
      $('t-body').value = '';
      $('t-body-error').textContent = '';
      posted(c);
    } catch (e) {
      if (e.code === 'banned') { me = await api('GET', '/me'); showAccount(); }
      showErrors(compose, e, $('t-body-error'));
    }
  });
}

// --- the frame around us -------------------------------------------------------

/** Tells the loader how tall the page is, so the iframe fits its content. */
function reportHeight() {
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  if (window.parent !== window) window.parent.postMessage({ type: 'tribune:height', height }, '*');
}

// Only documented messages, from the page that frames us (and, when
// server.embed_origins is set, only from those sites: the CSP already keeps
// other sites from framing us): custom colours, and the site's sign-in.
// Nothing is ever sent back that holds the session: the page cannot read it.
const senders = root.dataset.origins.split(' ').filter(Boolean);
let ready = null;
window.addEventListener('message', (event) => {
  if (event.source !== window.parent || window.parent === window) return;
  if (senders.length && !senders.includes(event.origin)) return;
  const type = event.data?.type;
  if (type === 'tribune:sso' && sso && open && typeof event.data.token === 'string') {
    const siteToken = event.data.token;
    ready.then(() => siteLogin(siteToken));
    return;
  }
  if (type === 'tribune:logout' && open) {
    ready.then(signOut);
    return;
  }
  if (type !== 'tribune:theme') return;
  const vars = event.data.vars ?? {};
  for (const [name, value] of Object.entries(vars)) {
    if (/^--tribune-[a-z-]+$/.test(name) && typeof value === 'string' && /^[#\w\s().,%-]{1,64}$/.test(value)) {
      document.documentElement.style.setProperty(name, value);
    }
  }
});

/** Staff picks above the thread, when there are any. */
async function loadPicks() {
  const page = await api('GET', `/articles/${encodeURIComponent(key)}/comments?featured=true&limit=10`);
  const list = $('t-picks-list');
  list.replaceChildren(...page.comments.map((c) => {
    const body = el('div', { class: 't-c-body', dir: c.dir });
    body.innerHTML = c.html; // the server's sanitized rendering
    const go = el('a', { href: '#c-' + c.id, target: '_self', class: 't-pick-go' }, t('picks-go'));
    go.addEventListener('click', (event) => {
      const target = byId(c.id);
      if (!target) return;
      event.preventDefault();
      target.tabIndex = -1;
      target.focus();
    });
    const head = el('header', { class: 't-c-head' });
    if (c.author) head.append(el('bdi', { class: 't-c-author' }, c.author.display_name));
    return el('li', { class: 't-pick' }, head, body, go);
  }));
  $('t-picks').hidden = page.comments.length === 0;
  reportHeight();
}

async function start() {
  strings = (await api('GET', `/i18n/${lang}`)).strings;
  refreshTimes();
  setInterval(refreshTimes, 60000);
  for (const li of thread.querySelectorAll('.t-c')) decorate(li);
  $('t-toolbar').hidden = false;
  setMore($('t-more').dataset.cursor);
  $('t-more').addEventListener('click', async () => {
    const more = $('t-more');
    await loadPage(more.dataset.cursor);
    more.hidden || more.focus();
  });
  $('t-sort').value = sort;
  $('t-sort').addEventListener('change', async (event) => {
    saveSort(event.target.value);
    await loadPage(null);
  });
  loadPicks().catch(() => {});
  wireAccount();
  if (open) {
    $('t-hint').hidden = true;
    $('t-auth').hidden = false;
  }
  if (token) {
    try { await signedIn(null); } catch (e) { if (e.status === 401) saveToken(null); showAccount(); }
  } else if (sort !== 'oldest') {
    // The page came drawn oldest first; the session asked for another order.
    await loadPage(null);
  }
  follow();
  root.dataset.ready = 'true';
}

new ResizeObserver(reportHeight).observe(document.documentElement);
ready = start();
ready.catch((e) => { announce(e.message); });
