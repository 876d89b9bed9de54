// Tribune's loader, pasted by sites: every [data-tribune-article] becomes an
// iframe of Tribune's widget, every [data-tribune-count] a comment count.
(() => {
  const script = document.currentScript;
  const origin = new URL(script ? script.src : '/', location.href).origin;
  // Colours a site may set on the placeholder, passed to the widget.
  const VARS = ['bg', 'fg', 'muted', 'accent', 'accent-fg', 'border', 'surface', 'danger', 'radius', 'font'];
  const frames = [];

  for (const host of document.querySelectorAll('[data-tribune-article]')) {
    const d = host.dataset;
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
      frame.contentWindow.postMessage({ type: 'tribune:theme', vars }, origin);
    });
    host.replaceChildren(frame);
    frames.push(frame);
  }

  // Only Tribune's own frames may resize themselves.
  addEventListener('message', (event) => {
    if (event.origin !== origin || event.data?.type !== 'tribune:height') return;
    const frame = frames.find((f) => f.contentWindow === event.source);
    const height = Number(event.data.height);
    if (frame && height > 0 && height < 1e5) frame.style.height = height + 'px';
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
    const rules = new Intl.PluralRules(locale);
    for (const c of counters) {
      const n = counts[c.dataset.tribuneCount] ?? 0;
      const text = typeof forms === 'object' ? forms['=' + n] ?? forms[rules.select(n)] ?? forms.other : forms;
      c.textContent = text.replace(/\{\s*\$count\s*\}/g, n);
    }
  }).catch(() => {});
})();
