//! HTML as Disqus and WordPress store it, turned into the Markdown subset
//! Tribune stores (paragraphs, line breaks, emphasis, code, links, quotes,
//! lists). Everything else keeps its text and loses its tags; the result is
//! then rendered and sanitized by `text::render_html` like any comment, so
//! this lenient reader is never what keeps a page safe.

mod entities;

pub use entities::decode_entities;

/// Converts `html`; with `breaks`, line breaks in the text count (WordPress
/// stores a comment as typed, adding `<p>` and `<br>` when showing it).
pub fn to_markdown(html: &str, breaks: bool) -> String {
    let mut out = Builder::new(breaks);
    let bytes = html.as_bytes();
    let mut i = 0;
    let mut text_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &html[i..];
        let tag_end = if rest.starts_with("<!--") {
            Some(rest.find("-->").map_or(html.len(), |e| i + e + 3))
        } else if rest.len() > 1
            && (bytes[i + 1].is_ascii_alphabetic() || bytes[i + 1] == b'/' || bytes[i + 1] == b'!')
        {
            Some(rest.find('>').map_or(html.len(), |e| i + e + 1))
        } else {
            None
        };
        let Some(end) = tag_end else {
            i += 1;
            continue;
        };
        out.text(&decode_entities(&html[text_start..i]));
        if !rest.starts_with("<!") {
            let tag = Tag::parse(&html[i..end]);
            if matches!(tag.name.as_str(), "script" | "style") && !tag.closing {
                // Their content is never text a reader wrote.
                let close = format!("</{}", tag.name);
                let skip_to = find_ci(&html[end..], &close)
                    .map(|p| end + p)
                    .unwrap_or(html.len());
                let after = html[skip_to..]
                    .find('>')
                    .map_or(html.len(), |e| skip_to + e + 1);
                i = after;
                text_start = after;
                continue;
            }
            out.tag(tag);
        }
        i = end;
        text_start = end;
    }
    out.text(&decode_entities(&html[text_start..]));
    out.finish()
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.to_ascii_lowercase().find(&needle.to_ascii_lowercase())
}

struct Tag {
    name: String,
    closing: bool,
    href: Option<String>,
    alt: Option<String>,
}

impl Tag {
    fn parse(raw: &str) -> Tag {
        let inner = raw.trim_start_matches('<').trim_end_matches('>');
        let inner = inner.trim_end_matches('/');
        let closing = inner.starts_with('/');
        let inner = inner.trim_start_matches('/');
        let name_end = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        let name = inner[..name_end].to_ascii_lowercase();
        let attrs = &inner[name_end..];
        // Only a link's target and an image's text are kept.
        Tag {
            href: (name == "a").then(|| attribute(attrs, "href")).flatten(),
            alt: (name == "img").then(|| attribute(attrs, "alt")).flatten(),
            name,
            closing,
        }
    }
}

/// The value of one attribute, quoted or not, entities decoded.
fn attribute(attrs: &str, name: &str) -> Option<String> {
    let lower = attrs.to_ascii_lowercase();
    let mut from = 0;
    while let Some(pos) = lower[from..].find(name) {
        let start = from + pos;
        from = start + name.len();
        let before_ok = start == 0 || lower.as_bytes()[start - 1].is_ascii_whitespace();
        let rest = attrs[from..].trim_start();
        if !before_ok || !rest.starts_with('=') {
            continue;
        }
        let value = rest[1..].trim_start();
        let raw = match value.chars().next() {
            Some(q @ ('"' | '\'')) => value[1..].split(q).next().unwrap_or(""),
            _ => value
                .split(|c: char| c.is_whitespace())
                .next()
                .unwrap_or(""),
        };
        return Some(decode_entities(raw).into_owned());
    }
    None
}

/// What one `Builder::text` call has written into its frame.
struct Piece {
    /// Spaces are still dropped (the frame is at a line's start and nothing
    /// else was written yet).
    strip: bool,
    /// The last character of the text as written, spaces dropped or not.
    last: Option<char>,
}

impl Piece {
    fn push(&mut self, top: &mut String, s: &str) {
        self.last = s.chars().last().or(self.last);
        let s = if self.strip {
            s.trim_start_matches(' ')
        } else {
            s
        };
        if !s.is_empty() {
            self.strip = false;
            top.push_str(s);
        }
    }
}

/// An element being built: its tag and the Markdown of its content so far.
struct Frame {
    name: String,
    buf: String,
    href: Option<String>,
    /// Items so far, in an `<ol>`.
    items: usize,
}

struct Builder {
    breaks: bool,
    stack: Vec<Frame>,
    pre: usize,
}

const BLOCKS: [&str; 16] = [
    "p",
    "div",
    "blockquote",
    "ul",
    "ol",
    "li",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "tr",
    "section",
];

impl Builder {
    fn new(breaks: bool) -> Builder {
        Builder {
            breaks,
            stack: vec![Frame {
                name: String::new(),
                buf: String::new(),
                href: None,
                items: 0,
            }],
            pre: 0,
        }
    }

    fn top(&mut self) -> &mut String {
        &mut self.stack.last_mut().expect("the root frame stays").buf
    }

    fn text(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if self.pre > 0 {
            self.top().push_str(text);
            return;
        }
        let breaks = self.breaks;
        let top = self.top();
        // Written straight into the frame. What this text adds is checked
        // as if it stood alone: escapes that depend on a line's start look
        // at its own start, and no space begins a line.
        let mut piece = Piece {
            strip: top.is_empty() || top.ends_with('\n') || top.ends_with(' '),
            last: None,
        };
        let mut pending_space = false;
        let mut newlines = 0;
        for c in text.chars() {
            if c == '\n' && breaks {
                newlines += 1;
                continue;
            }
            if c.is_whitespace() && c != '\u{a0}' {
                pending_space = true;
                continue;
            }
            if newlines > 0 {
                piece.push(top, if newlines > 1 { "\n\n" } else { "  \n" });
                newlines = 0;
                pending_space = false;
            } else if pending_space {
                piece.push(top, " ");
                pending_space = false;
            }
            escape_char(top, c, matches!(piece.last, None | Some('\n')));
            piece.strip = false;
            piece.last = Some(c);
        }
        if newlines > 0 {
            piece.push(top, if newlines > 1 { "\n\n" } else { "  \n" });
        } else if pending_space {
            piece.push(top, " ");
        }
    }

    fn tag(&mut self, tag: Tag) {
        let name = tag.name.as_str();
        if tag.closing {
            if let Some(pos) = self.stack.iter().rposition(|f| f.name == name) {
                if pos > 0 {
                    while self.stack.len() > pos {
                        self.close();
                    }
                }
            }
            return;
        }
        match name {
            "br" => {
                if self.pre > 0 {
                    self.top().push('\n');
                } else {
                    let top = self.top();
                    while top.ends_with(' ') {
                        top.pop();
                    }
                    top.push_str("  \n");
                }
            }
            "hr" => self.block_break(),
            "img" => {
                if let Some(alt) = tag.alt {
                    self.text(&alt);
                }
            }
            "p" | "div" | "blockquote" | "ul" | "ol" | "li" | "pre" | "a" | "b" | "strong"
            | "i" | "em" | "code" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                // A <p> does not nest: an open one ends here.
                if name == "p" {
                    if let Some(pos) = self.stack.iter().rposition(|f| f.name == "p") {
                        while self.stack.len() > pos {
                            self.close();
                        }
                    }
                }
                if name == "li" {
                    if let Some(parent) = self.stack.iter_mut().rev().find(|f| f.name == "ol") {
                        parent.items += 1;
                    }
                }
                if name == "pre" {
                    self.pre += 1;
                }
                self.stack.push(Frame {
                    name: name.to_string(),
                    buf: String::new(),
                    href: tag.href,
                    items: 0,
                });
            }
            _ => {}
        }
    }

    fn block_break(&mut self) {
        let top = self.top();
        while top.ends_with(' ') {
            top.pop();
        }
        if !top.is_empty() && !top.ends_with("\n\n") {
            if top.ends_with('\n') {
                top.push('\n');
            } else {
                top.push_str("\n\n");
            }
        }
    }

    fn close(&mut self) {
        let frame = self.stack.pop().expect("never closes the root");
        let name = frame.name.as_str();
        if name == "pre" {
            self.pre -= 1;
        }
        let content = frame.buf;
        let inline = |marker: &str, content: &str| {
            let inner = content.trim();
            if inner.is_empty() {
                String::new()
            } else {
                format!("{marker}{inner}{marker}")
            }
        };
        let rendered = match name {
            "b" | "strong" => inline("**", &content),
            "i" | "em" => inline("*", &content),
            "code" if self.pre == 0 => {
                let ticks = if content.contains('`') { "``" } else { "`" };
                let raw = unescape(&content);
                if raw.trim().is_empty() {
                    String::new()
                } else {
                    format!("{ticks}{raw}{ticks}")
                }
            }
            "a" => match frame.href.filter(|h| is_linkable(h)) {
                Some(href) => {
                    let text = content.trim();
                    let text = if text.is_empty() {
                        escape(&href)
                    } else {
                        text.to_string()
                    };
                    format!("[{text}]({})", link_target(&href))
                }
                None => content,
            },
            _ => content,
        };
        if !BLOCKS.contains(&name) {
            self.top().push_str(&rendered);
            return;
        }
        let body = rendered.trim_matches(|c: char| c == '\n' || c == ' ');
        let block = match name {
            "blockquote" => body
                .lines()
                .map(|l| {
                    if l.is_empty() {
                        ">".to_string()
                    } else {
                        format!("> {l}")
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
            "li" => {
                let marker = match self
                    .stack
                    .iter()
                    .rev()
                    .find(|f| matches!(f.name.as_str(), "ul" | "ol"))
                {
                    Some(f) if f.name == "ol" => format!("{}. ", f.items.max(1)),
                    _ => "- ".to_string(),
                };
                let indent = " ".repeat(marker.len());
                let mut lines = body.lines();
                let first = lines.next().unwrap_or("");
                let mut item = format!("{marker}{first}");
                for l in lines {
                    item.push('\n');
                    if !l.is_empty() {
                        item.push_str(&indent);
                        item.push_str(l);
                    }
                }
                let top = self.top();
                if !top.is_empty() && !top.ends_with('\n') {
                    top.push('\n');
                }
                top.push_str(&item);
                top.push('\n');
                return;
            }
            "pre" => {
                let raw = unescape(&rendered);
                let raw = raw.trim_matches('\n');
                let fence = if raw.contains("```") { "~~~~" } else { "```" };
                format!("{fence}\n{raw}\n{fence}")
            }
            _ => body.to_string(),
        };
        if block.is_empty() {
            return;
        }
        self.block_break();
        self.top().push_str(&block);
        self.block_break();
    }

    fn finish(mut self) -> String {
        while self.stack.len() > 1 {
            self.close();
        }
        let root = self.stack.pop().map(|f| f.buf).unwrap_or_default();
        // At most one blank line in a row, no trailing spaces at the end.
        let mut out = String::with_capacity(root.len());
        let mut blank = 0;
        for line in root.split('\n') {
            if line.trim().is_empty() {
                blank += 1;
                continue;
            }
            if !out.is_empty() {
                out.push_str(if blank > 0 { "\n\n" } else { "\n" });
            }
            blank = 0;
            out.push_str(line);
        }
        out.trim_end().to_string()
    }
}

fn is_linkable(href: &str) -> bool {
    let lower = href.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|s| lower.starts_with(s))
}

fn link_target(href: &str) -> String {
    let href = href.trim();
    if href.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", href.replace('<', "%3C").replace('>', "%3E"))
    } else {
        href.to_string()
    }
}

/// Characters that would start Markdown syntax are escaped, so the text
/// shows as written.
fn escape_into(out: &mut String, c: char) {
    let at_line_start = out.is_empty() || out.ends_with('\n');
    escape_char(out, c, at_line_start);
}

/// `c` as Markdown text; `#`, `>`, `-`, `+` and `=` only matter at a line's start.
fn escape_char(out: &mut String, c: char, at_line_start: bool) {
    match c {
        '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '&' => {
            out.push('\\');
            out.push(c);
        }
        '#' | '>' | '-' | '+' | '=' if at_line_start => {
            out.push('\\');
            out.push(c);
        }
        _ => out.push(c),
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        escape_into(&mut out, c);
    }
    out
}

/// Undoes `escape` (inside code, where backslashes are literal).
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(&next) = chars.peek() {
                if "\\`*_[]<&#>-+=".contains(next) {
                    out.push(next);
                    chars.next();
                    continue;
                }
            }
        }
        if c == '\u{a0}' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::render_html;

    fn md(h: &str) -> String {
        to_markdown(h, false)
    }

    #[test]
    fn paragraphs_breaks_and_emphasis() {
        assert_eq!(
            md("<p>Bonjour <b>à</b> tous</p><p>Deux<br>lignes</p>"),
            "Bonjour **à** tous\n\nDeux  \nlignes"
        );
        assert_eq!(
            render_html(&md("<p>Bonjour <b>à</b> tous</p><p>Deux<br>lignes</p>")),
            "<p>Bonjour <strong>à</strong> tous</p>\n<p>Deux<br>\nlignes</p>"
        );
    }

    #[test]
    fn entities_are_decoded_and_markdown_is_escaped() {
        assert_eq!(
            md("l&#39;&eacute;t&eacute; &amp; *pas* gras &lt;b&gt;"),
            "l'été \\& \\*pas\\* gras \\<b>"
        );
        assert_eq!(
            render_html(&md("l&#39;&eacute;t&eacute; &amp; *pas* &lt;b&gt;")),
            "<p>l'été &amp; *pas* &lt;b&gt;</p>"
        );
        assert_eq!(
            md("&#x645;&#x631;&#x62D;&#x628;&#x627; &nbsp;!"),
            "مرحبا \u{a0}!"
        );
    }

    #[test]
    fn links_keep_their_target_and_unsafe_ones_their_text() {
        assert_eq!(
            md("<a href=\"https://e.com/a?b=1&amp;c=2\" rel=nofollow>lien</a>"),
            "[lien](https://e.com/a?b=1&c=2)"
        );
        assert_eq!(md("<a href='javascript:alert(1)'>x</a>"), "x");
        assert!(render_html(&md("<a href=\"https://e.com/\">y</a>"))
            .contains("href=\"https://e.com/\""));
    }

    #[test]
    fn scripts_go_and_unknown_tags_keep_their_text() {
        assert_eq!(
            md("a<script>alert(1)</script>b<span class=x>c</span>"),
            "abc"
        );
        assert_eq!(
            md("<img src=x alt=\"une image\"> <iframe>t</iframe>"),
            "une image t"
        );
        assert_eq!(md("2 < 3 et 4 > 1"), "2 \\< 3 et 4 > 1");
    }

    #[test]
    fn quotes_lists_and_code() {
        assert_eq!(
            md("<blockquote>cité<br>ici</blockquote>réponse"),
            "> cité  \n> ici\n\nréponse"
        );
        assert_eq!(md("<ul><li>un</li><li>deux</li></ul>"), "- un\n- deux");
        assert_eq!(md("<ol><li>un</li><li>deux</li></ol>"), "1. un\n2. deux");
        assert_eq!(md("<code>a*b</code>"), "`a*b`");
        assert_eq!(md("<pre>x  = 1\n  y</pre>"), "```\nx  = 1\n  y\n```");
    }

    #[test]
    fn wordpress_line_breaks_count() {
        assert_eq!(
            to_markdown("un\ndeux\n\ntrois", true),
            "un  \ndeux\n\ntrois"
        );
        assert_eq!(to_markdown("un\ndeux", false), "un deux");
    }

    #[test]
    fn broken_html_does_not_break() {
        assert_eq!(md("<p>a <b>b</p> c"), "a **b**\n\nc");
        // An unclosed tag runs to the end: a link without text shows its target.
        assert_eq!(md("<a href=\"https://x"), "[https://x](https://x)");
        assert_eq!(md("x <!-- note"), "x");
        assert_eq!(md("</b></p>ok"), "ok");
    }
}
