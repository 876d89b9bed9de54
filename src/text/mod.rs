//! Text rules: normalization, Markdown rendering, username checks and word-list folding.

pub mod arabizi;
pub mod disguise;
pub mod fold;
pub mod forms;
pub mod names;
pub mod normalize;
pub mod render;
pub mod username;
pub mod wordlist;
mod written;

pub use disguise::Via;
pub use fold::{fold_pattern, fold_text, FoldedText, WordKind};
pub use normalize::{
    count_links, duplicate_key, has_forbidden_name_chars, has_name_blanks, is_invisible_name,
    normalize_body, normalize_line,
};
pub use render::{direction, render_html, visible_text, Direction};
pub use username::{check_username, username_skeleton, UsernameProblem};
pub use wordlist::{Entry, Explanation, WordList};
pub use written::Written;

/// Lower-case hexadecimal, two digits a byte (digests, keys, tokens).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn hex_is_lowercase_two_digits_a_byte() {
        assert_eq!(super::hex(&[0x00, 0x0f, 0xab, 0xff]), "000fabff");
        assert_eq!(super::hex(&[]), "");
    }
}
