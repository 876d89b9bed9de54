//! Screening: the automatic first look at a new or edited comment (the
//! moderation pipeline): what status it gets, and why.
//! A pure function, tested without a database. People's decisions on
//! comments live in `service::decisions`.

pub mod starter;

pub use crate::domain::Reason;
use crate::domain::{CommentStatus, ModerationMode, Role, Settings};
use crate::text::{Explanation, FoldedText, WordKind, WordList};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// What the pipeline knows of the author.
#[derive(Debug, Clone, Copy)]
pub struct AuthorRecord {
    pub role: Role,
    pub approved_count: i64,
    /// Any rejected comment in the last 30 days.
    pub recently_rejected: bool,
}

/// Everything the decision depends on.
pub struct Submission<'a> {
    /// The text folded for the word lists (`text::fold_text`).
    pub folded: &'a FoldedText,
    /// URLs in the text (`text::count_links`).
    pub links: usize,
    pub author: AuthorRecord,
    pub mode: ModerationMode,
    pub settings: &'a Settings,
    pub words: &'a WordList,
    /// The author posted the same text in the last 24 hours.
    pub duplicate: bool,
    pub is_edit: bool,
}

/// Why the word filters flagged a text: which entry matched, the text as
/// the reader wrote it, and which disguises were undone to see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WordMatch {
    /// `banned_word` or `suspect_word`.
    #[schema(pattern = "^(banned_word|suspect_word)$")]
    pub kind: String,
    /// The list entry, as it was typed.
    pub entry: String,
    /// The text as written (`c|onnard`).
    pub matched: String,
    /// The disguises undone: `invisible`, `lookalike`, `accents`, `markup`,
    /// `elongation`, `symbol`, `spacing`, `leet`, `repeat`, `proclitic`,
    /// `arabizi`, `inflection`, `suffix`, `doubled_letter`, `broken_plural`,
    /// `elision`, `prefix`. Empty when the entry was written as it is.
    pub via: Vec<String>,
}

impl WordMatch {
    pub fn from_explanation(e: &Explanation) -> WordMatch {
        WordMatch {
            kind: match e.kind {
                WordKind::Banned => Reason::BannedWord,
                WordKind::Suspect => Reason::SuspectWord,
            }
            .as_str()
            .to_string(),
            entry: e.entry.clone(),
            matched: e.matched.clone(),
            via: e.via.names().into_iter().map(str::to_string).collect(),
        }
    }

    /// As stored with the comment.
    pub fn to_json(matches: &[WordMatch]) -> String {
        serde_json::to_string(matches).unwrap_or_else(|_| "[]".to_string())
    }

    /// As read back; anything unreadable reads as no match.
    pub fn from_json(text: &str) -> Vec<WordMatch> {
        serde_json::from_str(text).unwrap_or_default()
    }
}

/// Every entry of the lists that the text matches, explained.
pub fn word_matches(words: &WordList, folded: &FoldedText) -> Vec<WordMatch> {
    words
        .explain(folded)
        .iter()
        .map(WordMatch::from_explanation)
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub status: CommentStatus,
    pub reasons: Vec<Reason>,
    /// The word filters' explanations, when a word list matched.
    pub matches: Vec<WordMatch>,
}

impl Verdict {
    /// Reasons as stored: comma-separated.
    pub fn reasons_text(&self) -> String {
        self.reasons
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The word matches as stored.
    pub fn matches_json(&self) -> String {
        WordMatch::to_json(&self.matches)
    }
}

pub fn decide(s: &Submission<'_>) -> Verdict {
    if s.author.role.is_staff() {
        return Verdict {
            status: CommentStatus::Approved,
            reasons: vec![],
            matches: vec![],
        };
    }
    let found = if s.words.is_empty() {
        Vec::new()
    } else {
        s.words.scan(s.folded)
    };
    // Explaining costs a second look, taken only when something matched.
    let matches = if found.is_empty() {
        Vec::new()
    } else {
        word_matches(s.words, s.folded)
    };
    let mut reasons = Vec::new();
    let status = if found.contains(&WordKind::Banned) {
        reasons.push(Reason::BannedWord);
        CommentStatus::Rejected
    } else {
        if found.contains(&WordKind::Suspect) {
            reasons.push(Reason::SuspectWord);
        }
        if s.links as i64 > s.settings.max_links {
            reasons.push(Reason::TooManyLinks);
        }
        if s.duplicate {
            reasons.push(Reason::Duplicate);
        }
        let trusted =
            s.author.approved_count >= s.settings.trusted_after && !s.author.recently_rejected;
        if s.mode == ModerationMode::Pre && !trusted {
            reasons.push(Reason::Premoderation);
        }
        if reasons.is_empty() {
            CommentStatus::Approved
        } else {
            CommentStatus::Pending
        }
    };
    if s.is_edit && status != CommentStatus::Approved {
        reasons.push(Reason::Edited);
    }
    Verdict {
        status,
        reasons,
        matches,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text;

    fn reader(approved: i64) -> AuthorRecord {
        AuthorRecord {
            role: Role::Reader,
            approved_count: approved,
            recently_rejected: false,
        }
    }

    fn words() -> WordList {
        WordList::new([
            (text::fold_pattern("connard").unwrap(), WordKind::Banned),
            (text::fold_pattern("arnaque").unwrap(), WordKind::Suspect),
        ])
    }

    fn run(
        body: &str,
        author: AuthorRecord,
        mode: ModerationMode,
        duplicate: bool,
        is_edit: bool,
    ) -> Verdict {
        let mut v = run_explained(body, author, mode, duplicate, is_edit);
        v.matches.clear();
        v
    }

    fn run_explained(
        body: &str,
        author: AuthorRecord,
        mode: ModerationMode,
        duplicate: bool,
        is_edit: bool,
    ) -> Verdict {
        let settings = Settings::default();
        let words = words();
        decide(&Submission {
            folded: &text::fold_text(body),
            links: text::count_links(body),
            author,
            mode,
            settings: &settings,
            words: &words,
            duplicate,
            is_edit,
        })
    }

    fn verdict(status: CommentStatus, reasons: &[Reason]) -> Verdict {
        Verdict {
            status,
            reasons: reasons.to_vec(),
            matches: vec![],
        }
    }

    #[test]
    fn a_plain_comment_on_a_post_moderated_article_is_approved() {
        let v = run(
            "Très bon article.",
            reader(0),
            ModerationMode::Post,
            false,
            false,
        );
        assert_eq!(v, verdict(CommentStatus::Approved, &[]));
    }

    #[test]
    fn staff_are_never_held() {
        let mut m = reader(0);
        m.role = Role::Moderator;
        let v = run(
            "connard http://a http://b http://c",
            m,
            ModerationMode::Pre,
            true,
            false,
        );
        assert_eq!(v, verdict(CommentStatus::Approved, &[]));
    }

    #[test]
    fn banned_word_rejects() {
        let v = run(
            "quel CONNARD",
            reader(10),
            ModerationMode::Post,
            false,
            false,
        );
        assert_eq!(v, verdict(CommentStatus::Rejected, &[Reason::BannedWord]));
    }

    #[test]
    fn a_match_is_explained() {
        let v = run_explained(
            "quel c|onnard",
            reader(10),
            ModerationMode::Post,
            false,
            false,
        );
        assert_eq!(
            v.matches,
            vec![WordMatch {
                kind: "banned_word".into(),
                entry: "connard".into(),
                matched: "c|onnard".into(),
                via: vec!["symbol".into()],
            }]
        );
        assert_eq!(
            v.matches_json(),
            r#"[{"kind":"banned_word","entry":"connard","matched":"c|onnard","via":["symbol"]}]"#
        );
        assert_eq!(WordMatch::from_json(&v.matches_json()), v.matches);
        assert!(WordMatch::from_json("not json").is_empty());
        let plain = run_explained("Bonjour", reader(10), ModerationMode::Post, false, false);
        assert!(plain.matches.is_empty());
    }

    #[test]
    fn suspect_links_and_duplicates_hold_with_every_reason() {
        let v = run(
            "arnaque http://a.example https://b.example www.c.example",
            reader(10),
            ModerationMode::Post,
            true,
            false,
        );
        assert_eq!(
            v,
            verdict(
                CommentStatus::Pending,
                &[Reason::SuspectWord, Reason::TooManyLinks, Reason::Duplicate]
            )
        );
    }

    #[test]
    fn premoderation_holds_until_trusted() {
        let v = run("Bonjour", reader(2), ModerationMode::Pre, false, false);
        assert_eq!(v, verdict(CommentStatus::Pending, &[Reason::Premoderation]));
        let v = run("Bonjour", reader(3), ModerationMode::Pre, false, false);
        assert_eq!(v, verdict(CommentStatus::Approved, &[]));
        let mut recent = reader(30);
        recent.recently_rejected = true;
        let v = run("Bonjour", recent, ModerationMode::Pre, false, false);
        assert_eq!(v, verdict(CommentStatus::Pending, &[Reason::Premoderation]));
    }

    #[test]
    fn a_held_edit_says_edited() {
        let v = run("arnaque", reader(10), ModerationMode::Post, false, true);
        assert_eq!(
            v,
            verdict(
                CommentStatus::Pending,
                &[Reason::SuspectWord, Reason::Edited]
            )
        );
        let v = run("fine", reader(10), ModerationMode::Post, false, true);
        assert_eq!(v, verdict(CommentStatus::Approved, &[]));
        assert_eq!(
            verdict(
                CommentStatus::Pending,
                &[Reason::SuspectWord, Reason::Edited]
            )
            .reasons_text(),
            "suspect_word,edited"
        );
    }
}
