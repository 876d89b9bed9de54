//! Text rules: normalization, Markdown rendering, username checks and word-list folding.

pub mod arabizi;
pub mod disguise;
pub mod fold;
pub mod forms;
pub mod normalize;
pub mod render;
pub mod username;
pub mod wordlist;

pub use disguise::Via;
pub use fold::{fold_pattern, fold_text, FoldedText, WordKind};
pub use normalize::{
    count_links, duplicate_key, has_forbidden_name_chars, normalize_body, normalize_line,
};
pub use render::{direction, render_html, visible_text, Direction};
pub use username::{check_username, username_skeleton, UsernameProblem};
pub use wordlist::{Entry, Explanation, WordList};
