//! Character references in the exports' HTML, decoded with HTML's own table
//! of names (exports carry `&nbsp;` and `&eacute;`, not only XML's five).

use markup5ever::data::NAMED_ENTITIES;
use std::borrow::Cow;

/// Decodes `&name;`, `&#NN;` and `&#xHH;` (HTML's full table of names).
pub fn decode_entities(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let semi = rest[1..].find(';').map(|p| p + 1).filter(|&p| p <= 33);
        let decoded = semi.and_then(|semi| {
            let name = &rest[1..semi];
            let ch = if let Some(num) = name.strip_prefix('#') {
                let value = match num.strip_prefix(['x', 'X']) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok(),
                    None => num.parse().ok(),
                };
                value
                    .and_then(char::from_u32)
                    .filter(|&c| c != '\0')
                    .map(|c| c.to_string())
            } else {
                NAMED_ENTITIES.get(&rest[1..=semi]).map(|&(a, b)| {
                    [a, b]
                        .into_iter()
                        .filter(|&c| c != 0)
                        .filter_map(char::from_u32)
                        .collect()
                })
            };
            ch.map(|c| (c, semi + 1))
        });
        match decoded {
            Some((text, len)) => {
                out.push_str(&text);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}
