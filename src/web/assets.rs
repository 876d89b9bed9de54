//! Scripts and styles compiled into the binary. Each is served under a name
//! carrying a hash of its content, so it can be cached for a year, and
//! gzipped once, on first use. The loader keeps a stable name (`/embed.js`,
//! the URL sites paste) with a short lifetime and an `ETag`.

use actix_web::http::header::{self, HeaderValue};
use actix_web::web::{self, Bytes};
use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::sync::LazyLock;

/// (name, content type, content) of every asset. A module a script imports
/// comes before it: its import is rewritten to the module's hashed name.
const SOURCES: [(&str, &str, &[u8]); 7] = [
    (
        "strings.js",
        "text/javascript; charset=utf-8",
        include_bytes!("static/strings.js"),
    ),
    (
        "embed.js",
        "text/javascript; charset=utf-8",
        include_bytes!("static/embed.js"),
    ),
    (
        "widget.js",
        "text/javascript; charset=utf-8",
        include_bytes!("static/widget.js"),
    ),
    (
        "widget.css",
        "text/css; charset=utf-8",
        include_bytes!("static/widget.css"),
    ),
    (
        "console.js",
        "text/javascript; charset=utf-8",
        include_bytes!("static/console.js"),
    ),
    (
        "oidc.js",
        "text/javascript; charset=utf-8",
        include_bytes!("static/oidc.js"),
    ),
    (
        "console.css",
        "text/css; charset=utf-8",
        include_bytes!("static/console.css"),
    ),
];

pub struct Asset {
    pub name: &'static str,
    /// `widget.1a2b3c4d5e6f.js`: the name with a hash of the content.
    pub hashed: String,
    pub content_type: &'static str,
    pub raw: Bytes,
    pub gzip: Bytes,
    etag: String,
}

static ASSETS: LazyLock<Vec<Asset>> = LazyLock::new(|| {
    let mut built: Vec<Asset> = Vec::new();
    for source in &SOURCES {
        let asset = build(source, &built);
        built.push(asset);
    }
    built
});

/// `import … from './strings.js'` names the module's hashed file, so a
/// script's hash changes with the modules it imports (no build step: the
/// server does it once, at start).
fn with_hashed_imports(raw: &[u8], earlier: &[Asset]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(raw) else {
        return raw.to_vec();
    };
    let mut text = text.to_string();
    for module in earlier.iter().filter(|a| a.name.ends_with(".js")) {
        text = text.replace(
            &format!("from './{}'", module.name),
            &format!("from './{}'", module.hashed),
        );
    }
    text.into_bytes()
}

fn build(
    &(name, content_type, source): &(&'static str, &'static str, &'static [u8]),
    earlier: &[Asset],
) -> Asset {
    let raw = with_hashed_imports(source, earlier);
    let digest = Sha256::digest(&raw);
    let hash = crate::text::hex(&digest[..6]);
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to memory cannot fail.
    let gzip = gz
        .write_all(&raw)
        .and_then(|_| gz.finish())
        .unwrap_or_default();
    Asset {
        name,
        hashed: format!("{stem}.{hash}.{ext}"),
        content_type,
        raw: Bytes::from(raw),
        gzip: Bytes::from(gzip),
        etag: format!("\"{hash}\""),
    }
}

/// Every asset, built.
pub fn all() -> &'static [Asset] {
    &ASSETS
}

/// The URL path of an asset by its plain name (`widget.js`).
pub fn url(name: &str) -> String {
    ASSETS
        .iter()
        .find(|a| a.name == name)
        .map(|a| format!("/assets/{}", a.hashed))
        .unwrap_or_default()
}

/// `GET /assets/{hashed name}`: cached for a year, the content never changes under a name.
pub async fn serve(req: HttpRequest, name: web::Path<String>) -> HttpResponse {
    match ASSETS.iter().find(|a| a.hashed == *name) {
        Some(asset) => respond(&req, asset, "public, max-age=31536000, immutable"),
        None => HttpResponse::NotFound().finish(),
    }
}

/// `GET /embed.js`: the loader sites paste, under a name that must not change.
pub async fn loader(req: HttpRequest) -> HttpResponse {
    let asset = ASSETS.iter().find(|a| a.name == "embed.js");
    match asset {
        Some(asset) => respond(&req, asset, "public, max-age=300"),
        None => HttpResponse::NotFound().finish(),
    }
}

fn respond(req: &HttpRequest, asset: &Asset, cache: &'static str) -> HttpResponse {
    let matches_etag = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == asset.etag));
    let mut res = if matches_etag {
        HttpResponse::NotModified().finish()
    } else if accepts_gzip(req) {
        HttpResponse::Ok()
            .content_type(asset.content_type)
            .insert_header((header::CONTENT_ENCODING, "gzip"))
            .body(asset.gzip.clone())
    } else {
        HttpResponse::Ok()
            .content_type(asset.content_type)
            .body(asset.raw.clone())
    };
    let headers = res.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    if let Ok(etag) = HeaderValue::from_str(&asset.etag) {
        headers.insert(header::ETAG, etag);
    }
    // Any origin may load the loader and the widget's files (scripts are
    // public); only the pages say who may frame them.
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    res
}

fn accepts_gzip(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',').any(|coding| {
                let mut parts = coding.split(';');
                let name = parts.next().unwrap_or("").trim();
                let refused =
                    parts.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00" | "q=0.000"));
                name.eq_ignore_ascii_case("gzip") && !refused
            })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gzipped(names: &[&str]) -> usize {
        names
            .iter()
            .map(|n| all().iter().find(|a| a.name == *n).expect(n).gzip.len())
            .sum()
    }

    /// The budgets: a loader every article page pays for, a widget
    /// smaller than Isso's, a console smaller than a framework.
    #[test]
    fn assets_stay_within_their_gzipped_budgets() {
        assert!(gzipped(&["embed.js"]) <= 2 * 1024, "embed.js");
        assert!(
            gzipped(&["widget.js", "widget.css", "strings.js"]) <= 15 * 1024,
            "widget"
        );
        assert!(
            gzipped(&["console.js", "console.css", "strings.js"]) <= 60 * 1024,
            "console"
        );
    }

    #[test]
    fn names_carry_a_hash_of_the_content() {
        let widget = all().iter().find(|a| a.name == "widget.js").unwrap();
        assert!(widget.hashed.starts_with("widget.") && widget.hashed.ends_with(".js"));
        assert_eq!(widget.hashed.len(), "widget.".len() + 12 + ".js".len());
        assert_eq!(url("widget.js"), format!("/assets/{}", widget.hashed));
        let strings = all().iter().find(|a| a.name == "strings.js").unwrap();
        for script in ["widget.js", "console.js"] {
            let text = &all().iter().find(|a| a.name == script).unwrap().raw;
            let text = String::from_utf8_lossy(text);
            assert!(
                text.contains(&format!("from './{}'", strings.hashed)),
                "{script}"
            );
            assert!(!text.contains("from './strings.js'"), "{script}");
        }
        let mut names: Vec<&str> = all().iter().map(|a| a.hashed.as_str()).collect();
        names.dedup();
        assert_eq!(names.len(), all().len());
    }
}
