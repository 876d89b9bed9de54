//! How a source's thread becomes an article key, and URL rewriting.

use super::*;

/// Applies the first `--rewrite-url` whose OLD starts the URL.
pub fn rewrite(url: &str, rewrites: &[(String, String)]) -> String {
    for (old, new) in rewrites {
        if let Some(rest) = url.strip_prefix(old.as_str()) {
            return format!("{new}{rest}");
        }
    }
    url.to_string()
}

/// The article key of a thread: its identifier (by default), or the URL's
/// host and path, or its path; the query string is kept (`?p=12` names a
/// page on many sites), tracking parameters and the fragment are not.
pub fn article_key(thread: &ThreadRec, url: Option<&str>, from: KeyFrom) -> String {
    let identifier = thread
        .identifier
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let raw = match (from, identifier) {
        (KeyFrom::Identifier, Some(id)) => id.to_string(),
        _ => match url.map(|u| url_part(u, from == KeyFrom::Url)) {
            Some(part) if !part.is_empty() => part,
            _ => identifier
                .map(str::to_string)
                .unwrap_or_else(|| format!("thread-{}", thread.id)),
        },
    };
    key_of(&raw)
}

fn url_part(raw: &str, with_host: bool) -> String {
    let parsed = url::Url::parse(raw).or_else(|_| url::Url::parse("http://h/")?.join(raw));
    let Ok(u) = parsed else {
        return raw.to_string();
    };
    let mut out = String::new();
    if with_host {
        out.push_str(u.host_str().unwrap_or(""));
    }
    out.push_str(&percent_decode(u.path()));
    let query: Vec<String> = u
        .query_pairs()
        .filter(|(k, _)| !k.starts_with("utm_") && k != "fbclid")
        .map(|(k, v)| {
            if v.is_empty() {
                k.into_owned()
            } else {
                format!("{k}={v}")
            }
        })
        .collect();
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query.join("&"));
    }
    out
}

/// `%D8%A7` back to the characters it encodes (invalid UTF-8 stays encoded).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// A valid article key (`[A-Za-z0-9][A-Za-z0-9._-]{0,127}`) for any text:
/// other characters become `-`; a long one is cut and given a hash.
pub fn key_of(raw: &str) -> String {
    if ArticleKey::is_valid(raw) {
        return raw.to_string();
    }
    let mut key = String::with_capacity(raw.len());
    for c in raw.chars() {
        let c = if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            c
        } else {
            '-'
        };
        if c == '-' && (key.is_empty() || key.ends_with('-')) {
            continue;
        }
        key.push(c);
    }
    let trimmed = key
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .trim_end_matches('-');
    let mut key = trimmed.to_string();
    if key.is_empty() {
        key = "index".into();
    }
    if key.len() > 128 || key != raw.trim_matches('/') && !raw.is_ascii() {
        // Non-ASCII paths would all fold to the same dashes: keep them apart.
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(raw.as_bytes());
        let hash = crate::text::hex(&digest[..4]);
        key.truncate(118);
        let key = key.trim_end_matches('-');
        return format!("{key}-{hash}");
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn thread(identifier: Option<&str>) -> ThreadRec {
        ThreadRec {
            id: "7".into(),
            identifier: identifier.map(str::to_string),
            ..ThreadRec::default()
        }
    }

    #[test]
    fn keys_from_identifier_url_or_path() {
        let url = Some("https://www.example.com/2013/01/mon-article/?utm_source=x&id=4#c");
        assert_eq!(
            article_key(&thread(Some("article-12")), url, KeyFrom::Identifier),
            "article-12"
        );
        // An empty identifier falls back to the path.
        assert_eq!(
            article_key(&thread(Some("  ")), url, KeyFrom::Identifier),
            "2013-01-mon-article-id-4"
        );
        assert_eq!(
            article_key(&thread(Some("x")), url, KeyFrom::Path),
            "2013-01-mon-article-id-4"
        );
        assert_eq!(
            article_key(&thread(None), url, KeyFrom::Url),
            "www.example.com-2013-01-mon-article-id-4"
        );
        assert_eq!(article_key(&thread(None), None, KeyFrom::Path), "thread-7");
        assert_eq!(
            article_key(&thread(None), Some("/"), KeyFrom::Path),
            "index"
        );
    }

    #[test]
    fn query_strings_tell_pages_apart() {
        let a = article_key(
            &thread(None),
            Some("http://e.com/index.php?p=1"),
            KeyFrom::Path,
        );
        let b = article_key(
            &thread(None),
            Some("http://e.com/index.php?p=2"),
            KeyFrom::Path,
        );
        assert_eq!(a, "index.php-p-1");
        assert_ne!(a, b);
    }

    #[test]
    fn non_ascii_and_long_keys_stay_apart() {
        let a = key_of("/مقال-أول/");
        let b = key_of("/مقال-ثان/");
        assert_ne!(a, b);
        assert!(ArticleKey::is_valid(&a), "{a}");
        let long = key_of(&"x/".repeat(200));
        assert!(ArticleKey::is_valid(&long), "{long}");
    }

    #[test]
    fn rewrites_apply_the_first_matching_prefix() {
        let r = vec![
            (
                "http://old.example".to_string(),
                "https://new.example".to_string(),
            ),
            ("http://".to_string(), "https://".to_string()),
        ];
        assert_eq!(rewrite("http://old.example/a", &r), "https://new.example/a");
        assert_eq!(rewrite("http://other/a", &r), "https://other/a");
        assert_eq!(rewrite("ftp://x", &r), "ftp://x");
    }
}
