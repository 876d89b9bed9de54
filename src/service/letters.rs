//! The mails Tribune writes, in the recipient's language: a subject, a
//! plain-text part and an HTML part (right to left in Arabic). Everything
//! that comes from people (names, titles, comments) is escaped in the HTML.

use crate::i18n::{self, Arg, Locale};
use askama::Template;

/// A mail ready to queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What a mail says, before it is laid out in text and HTML.
struct Draft<'a> {
    locale: Locale,
    subject: String,
    greeting: String,
    paragraphs: Vec<String>,
    /// Quoted text from someone else (a reply), with its direction.
    quote: Option<(&'a str, &'a str)>,
    /// The button: (label, link); none when the mail only tells.
    action: Option<(String, &'a str)>,
    /// Closing lines, each with an optional link.
    footer: Vec<(String, Option<&'a str>)>,
}

fn t(locale: Locale, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    i18n::message(locale, key, args)
}

/// The plain-text part (`templates/letter.txt`).
#[derive(Template)]
#[template(path = "letter.txt")]
struct TextPart<'a> {
    d: &'a Draft<'a>,
}

/// The HTML part (`templates/letter.html`): askama escapes every value,
/// through [`MailHtml`].
#[derive(Template)]
#[template(path = "letter.html", escape = "mail")]
struct HtmlPart<'a> {
    d: &'a Draft<'a>,
}

/// The HTML part's escaper (askama.toml): pulldown-cmark's, which writes
/// `&lt;`, `&gt;`, `&amp;`, `&quot;` and `&#39;`, the entities these mails
/// have always carried (askama's own would write `&#60;` and the like).
#[derive(Debug, Clone, Copy)]
pub struct MailHtml;

impl askama::filters::Escaper for MailHtml {
    fn write_escaped_str<W: std::fmt::Write>(&self, dest: W, text: &str) -> std::fmt::Result {
        pulldown_cmark_escape::escape_html(pulldown_cmark_escape::FmtWriter(dest), text)
    }
}

impl Draft<'_> {
    fn finish(self) -> Letter {
        // Rendering only writes strings into a String, which cannot fail.
        let text = TextPart { d: &self }
            .render()
            .expect("a letter's text renders");
        let html = HtmlPart { d: &self }
            .render()
            .expect("a letter's HTML renders");
        Letter {
            subject: self.subject,
            text,
            html,
        }
    }
}

fn greeting(locale: Locale, name: &str) -> String {
    t(locale, "mail-greeting", &[("name", Arg::Str(name))])
}

/// The link that proves an address is the reader's.
pub fn verification(locale: Locale, name: &str, link: &str, hours: u64) -> Letter {
    Draft {
        locale,
        subject: t(locale, "mail-verify-subject", &[]),
        greeting: greeting(locale, name),
        paragraphs: vec![t(
            locale,
            "mail-verify-body",
            &[("count", Arg::Num(hours as i64))],
        )],
        quote: None,
        action: Some((t(locale, "mail-verify-action", &[]), link)),
        footer: vec![(t(locale, "mail-verify-ignore", &[]), None)],
    }
    .finish()
}

/// A password-reset link.
pub fn reset(locale: Locale, name: &str, link: &str, minutes: u64) -> Letter {
    Draft {
        locale,
        subject: t(locale, "mail-reset-subject", &[]),
        greeting: greeting(locale, name),
        paragraphs: vec![t(
            locale,
            "mail-reset-body",
            &[("count", Arg::Num(minutes as i64))],
        )],
        quote: None,
        action: Some((t(locale, "mail-reset-action", &[]), link)),
        footer: vec![(t(locale, "mail-reset-ignore", &[]), None)],
    }
    .finish()
}

/// What a reply notification needs.
pub struct Reply<'a> {
    pub recipient: &'a str,
    pub replier: &'a str,
    pub article_title: &'a str,
    pub body: &'a str,
    pub body_dir: &'a str,
    pub thread_link: &'a str,
    pub unsubscribe_link: &'a str,
}

/// Someone answered one of the reader's comments.
pub fn reply(locale: Locale, r: &Reply<'_>) -> Letter {
    let name = [("name", Arg::Str(r.replier))];
    Draft {
        locale,
        subject: t(locale, "mail-reply-subject", &name),
        greeting: greeting(locale, r.recipient),
        paragraphs: vec![t(
            locale,
            "mail-reply-body",
            &[
                ("name", Arg::Str(r.replier)),
                ("title", Arg::Str(r.article_title)),
            ],
        )],
        quote: Some((r.body, r.body_dir)),
        action: Some((t(locale, "mail-reply-action", &[]), r.thread_link)),
        footer: vec![(
            t(locale, "mail-reply-unsubscribe", &[]),
            Some(r.unsubscribe_link),
        )],
    }
    .finish()
}

/// Comments wait in the moderation queue.
pub fn digest(
    locale: Locale,
    name: &str,
    count: i64,
    console_link: &str,
    unsubscribe_link: &str,
) -> Letter {
    let count_arg = [("count", Arg::Num(count))];
    Draft {
        locale,
        subject: t(locale, "mail-digest-subject", &count_arg),
        greeting: greeting(locale, name),
        paragraphs: vec![t(locale, "mail-digest-body", &count_arg)],
        quote: None,
        action: Some((t(locale, "mail-digest-action", &[]), console_link)),
        footer: vec![(
            t(locale, "mail-digest-unsubscribe", &[]),
            Some(unsubscribe_link),
        )],
    }
    .finish()
}

/// A greeting by name, or a plain one for a notifier who gave none.
fn greeting_of(locale: Locale, name: Option<&str>) -> String {
    match name {
        Some(name) => greeting(locale, name),
        None => t(locale, "mail-greeting-anonymous", &[]),
    }
}

/// A notice was received (DSA Art. 16(4)).
pub fn notice_received(
    locale: Locale,
    name: Option<&str>,
    category: &str,
    excerpt: &str,
    dir: &str,
) -> Letter {
    Draft {
        locale,
        subject: t(locale, "mail-notice-received-subject", &[]),
        greeting: greeting_of(locale, name),
        paragraphs: vec![t(
            locale,
            "mail-notice-received-body",
            &[("category", Arg::Str(category))],
        )],
        quote: Some((excerpt, dir)),
        action: None,
        footer: vec![],
    }
    .finish()
}

/// The decision on a notice (DSA Art. 16(5)): whether the comment came
/// down, and whether automated means were used.
pub fn notice_decided(
    locale: Locale,
    name: Option<&str>,
    removed: bool,
    automated: bool,
    excerpt: &str,
    dir: &str,
) -> Letter {
    let outcome = if removed {
        "mail-notice-decided-removed"
    } else {
        "mail-notice-decided-kept"
    };
    let automated = if automated {
        "mail-automated-yes"
    } else {
        "mail-automated-no"
    };
    Draft {
        locale,
        subject: t(locale, "mail-notice-decided-subject", &[]),
        greeting: greeting_of(locale, name),
        paragraphs: vec![
            t(locale, outcome, &[]),
            t(locale, automated, &[]),
            t(locale, "dsa-redress-no-appeal", &[]),
        ],
        quote: Some((excerpt, dir)),
        action: None,
        footer: vec![],
    }
    .finish()
}

/// What a statement of reasons mail says, already in the reader's words.
pub struct StatementLetter<'a> {
    pub recipient: &'a str,
    /// `removed`, `restricted` or `account_suspended`.
    pub decision: &'a str,
    /// The ground, as a sentence.
    pub ground: String,
    pub facts: String,
    pub automated_detection: bool,
    /// `fully`, `partially` or `not`.
    pub automated_decision: &'a str,
    pub redress: String,
    /// The comment's excerpt and direction; none for a suspension.
    pub excerpt: Option<(&'a str, &'a str)>,
}

/// A statement of reasons (DSA Art. 17), to the author.
pub fn statement(locale: Locale, s: &StatementLetter<'_>) -> Letter {
    let detection = if s.automated_detection {
        "mail-statement-detection-yes"
    } else {
        "mail-statement-detection-no"
    };
    Draft {
        locale,
        subject: t(
            locale,
            &format!("mail-statement-subject-{}", s.decision),
            &[],
        ),
        greeting: greeting(locale, s.recipient),
        paragraphs: vec![
            t(locale, &format!("mail-statement-{}", s.decision), &[]),
            s.ground.clone(),
            t(
                locale,
                "mail-statement-facts",
                &[("facts", Arg::Str(&s.facts))],
            ),
            t(locale, detection, &[]),
            t(
                locale,
                &format!("mail-statement-decision-{}", s.automated_decision),
                &[],
            ),
            s.redress.clone(),
        ],
        quote: s.excerpt,
        action: None,
        footer: vec![],
    }
    .finish()
}

/// Where an author stands with unfounded appeals (DSA Art. 23(2)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppealStanding {
    Fine,
    /// One more upheld appeal and the next are refused: the warning.
    Warned,
    /// Further appeals are refused for now.
    Suspended,
}

/// The outcome of an appeal (DSA Art. 20(5)), to the author, with the
/// warning Art. 23(2) asks for before appeals are refused.
pub fn appeal_decided(
    locale: Locale,
    recipient: &str,
    reversed: bool,
    reason: Option<&str>,
    standing: AppealStanding,
) -> Letter {
    let outcome = if reversed {
        "mail-appeal-reversed"
    } else {
        "mail-appeal-upheld"
    };
    let mut paragraphs = vec![t(locale, outcome, &[])];
    if let Some(reason) = reason {
        paragraphs.push(t(
            locale,
            "mail-appeal-reason",
            &[("reason", Arg::Str(reason))],
        ));
    }
    match standing {
        AppealStanding::Fine => {}
        AppealStanding::Warned => paragraphs.push(t(locale, "mail-appeal-warning", &[])),
        AppealStanding::Suspended => paragraphs.push(t(locale, "error-appeals-suspended", &[])),
    }
    paragraphs.push(t(locale, "dsa-redress-no-appeal", &[]));
    Draft {
        locale,
        subject: t(locale, "mail-appeal-subject", &[]),
        greeting: greeting(locale, recipient),
        paragraphs,
        quote: None,
        action: None,
        footer: vec![],
    }
    .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(locale: Locale, body: &str) -> Letter {
        reply(
            locale,
            &Reply {
                recipient: "Nadia",
                replier: "<b>Karim</b>",
                article_title: "Le budget & vous",
                body,
                body_dir: "ltr",
                thread_link: "https://journal.example/a?x=1&y=2",
                unsubscribe_link: "https://c.example/api/v1/unsubscribe/1.r.abc",
            },
        )
    }

    #[test]
    fn the_html_part_escapes_what_people_wrote() {
        let letter = sample(Locale::Fr, "<script>alert(1)</script>\nligne 2");
        assert!(!letter.html.contains("<script>"));
        assert!(!letter.html.contains("<b>Karim"));
        assert!(letter
            .html
            .contains("&lt;script&gt;alert(1)&lt;/script&gt;<br>"));
        assert!(letter
            .html
            .contains("href=\"https://journal.example/a?x=1&amp;y=2\""));
        assert!(letter.html.contains("Le budget &amp; vous"));
        // The text part is text: nothing to escape, the quote is quoted.
        assert!(letter
            .text
            .contains("> <script>alert(1)</script>\n> ligne 2\n"));
        assert!(letter.text.contains("https://journal.example/a?x=1&y=2"));
        assert!(letter
            .text
            .contains("https://c.example/api/v1/unsubscribe/1.r.abc"));
    }

    #[test]
    fn arabic_mails_are_right_to_left() {
        let letter = sample(Locale::Ar, "شكرا على المقال");
        assert!(letter.html.contains("<html lang=\"ar\" dir=\"rtl\">"));
        assert!(letter.html.contains("<body dir=\"rtl\">"));
        assert!(letter
            .subject
            .chars()
            .any(|c| ('\u{0600}'..='\u{06ff}').contains(&c)));
        let fr = sample(Locale::Fr, "merci");
        assert!(fr.html.contains("dir=\"ltr\""));
        assert_ne!(fr.subject, letter.subject);
    }

    #[test]
    fn every_letter_carries_its_link() {
        for locale in Locale::ALL {
            let v = verification(locale, "nadia", "https://c.example/v?token=T1", 48);
            assert!(v.text.contains("https://c.example/v?token=T1"));
            assert!(v.html.contains("https://c.example/v?token=T1"));
            let r = reset(locale, "nadia", "https://c.example/r?token=T2", 60);
            assert!(r.text.contains("https://c.example/r?token=T2"));
            let d = digest(locale, "modo", 3, "https://c.example/console/", "https://u");
            assert!(d.text.contains("https://c.example/console/"));
            assert!(d.subject.contains('3'));
        }
    }
}
