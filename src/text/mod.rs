//! Text rules: normalization, Markdown rendering, username checks and word-list folding.

pub mod fold;
pub mod normalize;
pub mod render;
pub mod username;

pub use fold::{fold_pattern, fold_text, FoldedText, WordKind, WordList};
pub use normalize::{
    count_links, duplicate_key, has_forbidden_name_chars, normalize_body, normalize_line,
};
pub use render::{direction, render_html, visible_text, Direction};
pub use username::{check_username, username_skeleton, UsernameProblem};
