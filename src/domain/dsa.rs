//! The vocabulary of the EU Digital Services Act (Regulation 2022/2065):
//! the grounds of a decision, statements of reasons and their appeals.
//! Values follow the DSA Transparency Database's statement schema, in
//! lower snake case.

use super::problem::FieldError;
use super::Note;
use serde::{Deserialize, Serialize};

/// The longest reference to a law a moderator may cite.
pub const LAW_MAX: usize = 500;
/// The longest explanation of why content is illegal.
pub const EXPLANATION_MAX: usize = 2000;

/// Why content was acted on: a rule of the site, or the law.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Ground {
    /// The content breaks the site's rule `rule` (`[moderation] rules`).
    Rule { rule: String },
    /// The content is illegal under `law`.
    Illegal { law: String, explanation: String },
}

/// A ground as a request gives it, before it is checked.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum GroundRequest {
    /// A rule of the site, by its id.
    Rule { rule: String },
    /// The law broken, and why the content breaks it.
    Illegal {
        #[schema(
            min_length = 1,
            max_length = 500,
            pattern = r"[^\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
        )]
        law: String,
        #[schema(
            min_length = 1,
            max_length = 2000,
            pattern = r"[^\s\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
        )]
        explanation: String,
    },
}

impl Ground {
    /// The rule decisions cite when they name none.
    pub const DEFAULT_RULE: &'static str = "abusive";

    pub fn default_rule() -> Ground {
        Ground::Rule {
            rule: Ground::DEFAULT_RULE.into(),
        }
    }

    /// A requested ground, checked against the site's rules: an unknown
    /// rule, or an empty or too long law or explanation, is a field error.
    pub fn parse(raw: GroundRequest, rules: &[&str]) -> Result<Ground, FieldError> {
        match raw {
            GroundRequest::Rule { rule } => {
                if rules.contains(&rule.as_str()) {
                    Ok(Ground::Rule { rule })
                } else {
                    Err(FieldError::new("ground", "validation-unknown-rule")
                        .with("choices", super::MsgArg::Str(rules.join(", "))))
                }
            }
            GroundRequest::Illegal { law, explanation } => {
                let required = |field: &str, raw: &str, max| match Note::parse(field, raw, max) {
                    Ok(Some(n)) => Ok(n.as_str().to_string()),
                    Ok(None) => Err(FieldError::new(field, "validation-required")),
                    Err(e) => Err(e),
                };
                Ok(Ground::Illegal {
                    law: required("ground.law", &law, LAW_MAX)?,
                    explanation: required("ground.explanation", &explanation, EXPLANATION_MAX)?,
                })
            }
        }
    }

    /// `rule` or `illegal`, as stored and filtered on.
    pub fn kind(&self) -> GroundKind {
        match self {
            Ground::Rule { .. } => GroundKind::Rule,
            Ground::Illegal { .. } => GroundKind::Illegal,
        }
    }
}

text_enum!(
    /// The kind of a ground.
    GroundKind { Rule => "rule", Illegal => "illegal" }
);

text_enum!(
    /// What a decision did to the author (Art. 17(1)).
    Decision { Removed => "removed", Restricted => "restricted", AccountSuspended => "account_suspended" }
);

text_enum!(
    /// How far a decision was taken by automated means (Art. 17(3)(c)).
    AutomatedDecision { Fully => "fully", Partially => "partially", Not => "not" }
);

text_enum!(
    /// What brought the content to the site's attention.
    Source { Notice => "notice", TrustedFlagger => "trusted_flagger", OwnInitiative => "own_initiative", Report => "report" }
);

text_enum!(
    /// Where a statement's appeal stands: `none` until the author appeals.
    AppealStatus { None => "none", Open => "open", Upheld => "upheld", Reversed => "reversed" }
);

text_enum!(
    /// How a moderator decides an appeal.
    AppealOutcome { Upheld => "upheld", Reversed => "reversed" }
);

impl AppealOutcome {
    pub fn status(self) -> AppealStatus {
        match self {
            AppealOutcome::Upheld => AppealStatus::Upheld,
            AppealOutcome::Reversed => AppealStatus::Reversed,
        }
    }
}

text_enum!(
    /// What a notice says is wrong: the DSA Transparency Database's
    /// statement categories (its API v1 `STATEMENT_CATEGORY_*` values,
    /// without the prefix, in lower snake case).
    NoticeCategory {
        AnimalWelfare => "animal_welfare",
        DataProtectionAndPrivacyViolations => "data_protection_and_privacy_violations",
        IllegalOrHarmfulSpeech => "illegal_or_harmful_speech",
        IntellectualPropertyInfringements => "intellectual_property_infringements",
        NegativeEffectsOnCivicDiscourseOrElections => "negative_effects_on_civic_discourse_or_elections",
        NonConsensualBehaviour => "non_consensual_behaviour",
        PornographyOrSexualizedContent => "pornography_or_sexualized_content",
        ProtectionOfMinors => "protection_of_minors",
        RiskForPublicSecurity => "risk_for_public_security",
        ScamsAndFraud => "scams_and_fraud",
        SelfHarm => "self_harm",
        ScopeOfPlatformService => "scope_of_platform_service",
        UnsafeAndIllegalProducts => "unsafe_and_illegal_products",
        Violence => "violence",
    }
);

impl NoticeCategory {
    /// Whether the notifier must give a name and an address. Art. 16(2)(c)
    /// asks for both except for the offences of Articles 3 to 7 of
    /// Directive 2011/93/EU (child sexual abuse and exploitation), which the
    /// Transparency Database files under `protection_of_minors`: there, a
    /// notifier may stay anonymous.
    pub fn needs_identity(self) -> bool {
        self != NoticeCategory::ProtectionOfMinors
    }

    /// The Transparency Database's own spelling.
    pub fn tdb(self) -> String {
        format!("STATEMENT_CATEGORY_{}", self.as_str().to_uppercase())
    }
}

text_enum!(
    /// How a notice was settled: the comment came down, or it stayed.
    NoticeOutcome { Removed => "removed", Kept => "kept" }
);

/// A notice of illegal content (Art. 16), as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    pub id: i64,
    pub comment_id: i64,
    pub category: NoticeCategory,
    pub explanation: String,
    pub name: Option<String>,
    pub email: Option<String>,
    /// The signed-in notifier, if any.
    pub user_id: Option<i64>,
    /// Sent by a trusted flagger (Art. 22).
    pub trusted: bool,
    /// The language the notifier wrote in: their mails are in it.
    pub locale: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    pub outcome: Option<NoticeOutcome>,
    pub statement_id: Option<i64>,
}

/// A statement of reasons, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub id: i64,
    /// The author (`None` once the account is gone from the record).
    pub user_id: Option<i64>,
    /// The comment and its excerpt; `None` for a suspension.
    pub comment: Option<(i64, String)>,
    pub decision: Decision,
    pub ground: Ground,
    pub facts: String,
    pub automated_detection: bool,
    pub automated_decision: AutomatedDecision,
    pub source: Source,
    /// Who decided; `None` for an automated rule.
    pub actor_id: Option<i64>,
    pub decided_at: i64,
    pub appeal_status: AppealStatus,
}

impl Statement {
    /// The last moment this decision may be appealed, `appeal_days` after it.
    pub fn appeal_deadline(&self, appeal_days: i64) -> i64 {
        self.decided_at + appeal_days * 24 * 60 * 60 * 1000
    }
}

/// What a listing of statements keeps.
#[derive(Debug, Clone, Default)]
pub struct StatementFilter {
    /// One author's statements.
    pub user_id: Option<i64>,
    pub decision: Option<Decision>,
    pub ground: Option<GroundKind>,
    /// A rule's id, for statements that cite it.
    pub rule: Option<String>,
}

/// An appeal against a statement.
#[derive(Debug, Clone, PartialEq)]
pub struct Appeal {
    pub id: i64,
    pub statement_id: i64,
    pub user_id: i64,
    pub text: String,
    pub status: AppealStatus,
    pub created_at: i64,
    pub decided_at: Option<i64>,
    pub decided_by: Option<i64>,
    pub reason: Option<String>,
}

/// What a statement shows of the comment: the start of its text.
pub fn excerpt(body: &str) -> String {
    const EXCERPT_CHARS: usize = 200;
    let mut chars = body.chars();
    let head: String = chars.by_ref().take(EXCERPT_CHARS).collect();
    if chars.next().is_some() {
        format!("{head}…")
    } else {
        head
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RULES: &[&str] = &["abusive", "off_topic", "spam"];

    #[test]
    fn a_known_rule_is_a_ground_and_an_unknown_one_a_field_error() {
        let ok = Ground::parse(
            GroundRequest::Rule {
                rule: "spam".into(),
            },
            RULES,
        )
        .unwrap();
        assert_eq!(
            ok,
            Ground::Rule {
                rule: "spam".into()
            }
        );
        let err = Ground::parse(
            GroundRequest::Rule {
                rule: "rude".into(),
            },
            RULES,
        )
        .unwrap_err();
        assert_eq!(
            (err.field.as_str(), err.key),
            ("ground", "validation-unknown-rule")
        );
    }

    #[test]
    fn an_illegal_ground_needs_its_law_and_explanation() {
        let ok = Ground::parse(
            GroundRequest::Illegal {
                law: " Loi du 29 juillet 1881, art. 32 ".into(),
                explanation: "Diffamation".into(),
            },
            RULES,
        )
        .unwrap();
        assert_eq!(
            ok,
            Ground::Illegal {
                law: "Loi du 29 juillet 1881, art. 32".into(),
                explanation: "Diffamation".into()
            }
        );
        let err = Ground::parse(
            GroundRequest::Illegal {
                law: "  ".into(),
                explanation: "x".into(),
            },
            RULES,
        )
        .unwrap_err();
        assert_eq!(
            (err.field.as_str(), err.key),
            ("ground.law", "validation-required")
        );
    }

    #[test]
    fn grounds_serialize_tagged_by_type() {
        let g = Ground::Illegal {
            law: "L".into(),
            explanation: "E".into(),
        };
        assert_eq!(
            serde_json::to_value(&g).unwrap(),
            serde_json::json!({"type": "illegal", "law": "L", "explanation": "E"})
        );
        assert_eq!(
            serde_json::to_value(Ground::default_rule()).unwrap(),
            serde_json::json!({"type": "rule", "rule": "abusive"})
        );
    }

    #[test]
    fn excerpts_are_cut_on_characters() {
        assert_eq!(excerpt("court"), "court");
        let long = "é".repeat(250);
        assert_eq!(excerpt(&long).chars().count(), 201);
    }
}
