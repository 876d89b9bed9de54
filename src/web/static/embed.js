// Tribune's loader, pasted by sites: every [data-tribune-article] becomes an
// iframe of Tribune's widget, every [data-tribune-count] a comment count.
(() => {
  const script = document.currentScript;
  const origin = new URL(script ? script.src : '/', location.href).origin;
  // Colours a site may set on the placeholder, passed to the widget.
  const VARS = ['bg', 'fg', 'muted', 'accent', 'accent-fg', 'border', 'surface', 'danger', 'radius', 'font'];
  const frames = [];
  // Frames whose widget has loaded: messages sent before would be lost.
  const loaded = new Set();
  // The site's sign-in token (docs/sso.md), handed to each widget by
  // postMessage to Tribune's exact origin, never in a URL.
  let siteToken = null;
  const tell = (frame, message) => frame.contentWindow.postMessage(message, origin);
  const signIn = (frame) => { if (siteToken) tell(frame, { type: 'tribune:sso', token: siteToken }); };

  for (const host of document.querySelectorAll('[data-tribune-article]')) {
    const d = host.dataset;
    if (d.tribuneSso) {
      siteToken = d.tribuneSso;
      host.removeAttribute('data-tribune-sso');
    }
    const url = new URL('/embed/' + encodeURIComponent(d.tribuneArticle), origin);
    // No lang: the browser's Accept-Language decides, then Tribune's default.
    for (const [name, value] of [['lang', d.tribuneLang], ['title', d.tribuneTitle],
      ['url', d.tribuneUrl], ['theme', d.tribuneTheme]]) {
      if (value) url.searchParams.set(name, value);
    }
    const frame = document.createElement('iframe');
    frame.src = url;
    frame.title = d.tribuneTitle || 'Tribune';
    frame.setAttribute('scrolling', 'no');
    frame.style.cssText = 'width:100%;border:0;height:320px;display:block;color-scheme:normal';
    frame.addEventListener('load', () => {
      const style = getComputedStyle(host);
      const vars = {};
      for (const name of VARS) {
        const value = style.getPropertyValue('--tribune-' + name).trim();
        if (value) vars['--tribune-' + name] = value;
      }
      tell(frame, { type: 'tribune:theme', vars });
      loaded.add(frame);
      signIn(frame);
    });
    host.replaceChildren(frame);
    frames.push(frame);
  }

  // For single-page sites and tokens obtained later.
  window.tribune = Object.assign(window.tribune || {}, {
    login(token) {
      siteToken = typeof token === 'string' && token ? token : null;
      for (const frame of loaded) signIn(frame);
    },
    logout() {
      siteToken = null;
      for (const frame of loaded) tell(frame, { type: 'tribune:logout' });
    },
  });

  // Only Tribune's own frames may resize themselves, or send the reader to
  // the site's sign-in or sign-out page (sso.login_url, sso.logout_url),
  // which brings them back here.
  addEventListener('message', (event) => {
    if (event.origin !== origin) return;
    const frame = frames.find((f) => f.contentWindow === event.source);
    if (!frame) return;
    if (event.data?.type === 'tribune:sign-in' || event.data?.type === 'tribune:sign-out') {
      const target = new URL(String(event.data.url), location.href);
      if (target.protocol !== 'https:' && target.protocol !== 'http:') return;
      target.searchParams.set('return_to', location.href);
      location.assign(target.href);
      return;
    }
    if (event.data?.type !== 'tribune:height') return;
    const height = Number(event.data.height);
    if (height > 0 && height < 1e5) frame.style.height = height + 'px';
  });

  const counters = [...document.querySelectorAll('[data-tribune-count]')];
  if (!counters.length) return;
  const lang = counters[0].dataset.tribuneLang || document.documentElement.lang || '';
  const keys = [...new Set(counters.map((c) => c.dataset.tribuneCount))].slice(0, 100);
  const get = (path) => fetch(origin + path, { headers: lang ? { 'Accept-Language': lang } : {} })
    .then((r) => (r.ok ? r.json() : Promise.reject(r.status)));
  // One request for every count on the page, and the strings to say them.
  Promise.all([
    get('/api/v1/counts?articles=' + keys.map(encodeURIComponent).join(',')),
    get('/api/v1/i18n/' + (['fr', 'ar', 'en'].includes(lang) ? lang : 'fr')),
  ]).then(([{ counts }, { locale, strings }]) => {
    const forms = strings['comment-count'];
    // The rule of strings.js, written again: this loader runs as a classic
    // script in the host's page, where importing a module would need the
    // host's policy to allow it.
    const rules = new Intl.PluralRules(locale);
    for (const c of counters) {
      const n = counts[c.dataset.tribuneCount] ?? 0;
      const text = typeof forms === 'object' ? forms['=' + n] ?? forms[rules.select(n)] ?? forms.other : forms;
      c.textContent = text.replace(/\{\s*\$count\s*\}/g, n);
    }
  }).catch(() => {});
})();
