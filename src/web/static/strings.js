// Catalog strings as Tribune's pages say them (/api/v1/i18n/{lang}): a
// message is a text, or its plural forms keyed `=N`, `one`, `two`, `few`,
// `many`, `other` (Arabic uses all six), chosen by `rules`
// (an Intl.PluralRules of the page's language); `{ $name }` is filled in from `args`.
export function say(strings, rules, name, args = {}) {
  let text = strings[name] ?? name;
  if (typeof text === 'object') {
    const n = args.count;
    text = text['=' + n] ?? text[rules.select(n)] ?? text.other;
  }
  return text.replace(/\{\s*\$(\w+)\s*\}/g, (_, v) => String(args[v] ?? ''));
}
