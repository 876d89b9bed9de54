//! Statements of reasons (EU Digital Services Act, Art. 17): every removal,
//! hold of a published comment and ban tells its author why, as the author
//! and moderators read it; grounds on the existing decision routes.

use crate::helpers::*;
use reqwest::Method;
use serde_json::{json, Value};

/// The caller's statements, newest first.
async fn statements_of(user: &User) -> Vec<Value> {
    user.get("/me/statements").await.assert_status(200)["statements"]
        .as_array()
        .expect("statements")
        .clone()
}

async fn mod_statements(user: &User, query: &str) -> Vec<Value> {
    user.get(&format!("/mod/statements?{query}"))
        .await
        .assert_status(200)["statements"]
        .as_array()
        .expect("statements")
        .clone()
}

#[tokio::test]
async fn a_rejection_citing_a_rule_tells_the_author_why() {
    let (_app, cast) = TestApp::with_cast().await;
    let id = cast
        .reader
        .comment_id("a1", "Parlons plutôt de football")
        .await;
    let res = cast
        .moderator
        .post(
            &format!("/mod/comments/{id}/reject"),
            json!({"reason": "hors sujet", "ground": {"type": "rule", "rule": "off_topic"}}),
        )
        .await;
    assert_eq!(res.assert_status(200)["status"], "rejected");

    let mine = statements_of(&cast.reader).await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    let s = &mine[0];
    assert!(s["id"].as_i64().unwrap() > 0);
    assert_eq!(s["user_id"], cast.reader.id);
    assert_eq!(s["decision"], "removed");
    assert_eq!(s["ground"], json!({"type": "rule", "rule": "off_topic"}));
    assert_eq!(
        s["rule_text"],
        "Les commentaires sans rapport avec l'article sont supprimés."
    );
    assert_eq!(s["rule_url"], Value::Null);
    assert_eq!(s["facts"], "hors sujet");
    assert_eq!(s["automated_detection"], false);
    assert_eq!(s["automated_decision"], "not");
    assert_eq!(s["source"], "own_initiative");
    assert_eq!(
        s["comment"],
        json!({"id": id, "excerpt": "Parlons plutôt de football"})
    );
    assert_eq!(s["appeal"]["status"], "none");
    let decided = chrono::DateTime::parse_from_rfc3339(s["decided_at"].as_str().unwrap()).unwrap();
    let deadline =
        chrono::DateTime::parse_from_rfc3339(s["appeal"]["deadline"].as_str().unwrap()).unwrap();
    assert_eq!((deadline - decided).num_days(), 183, "dsa.appeal_days");
    let redress = s["redress"].as_str().unwrap();
    assert!(redress.contains("faire appel"), "{redress}");
    assert!(redress.contains("extrajudiciaire"), "{redress}");
    assert!(redress.contains("justice"), "{redress}");

    // The moderator reads the same statement.
    let all = mod_statements(&cast.moderator, "").await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["id"], s["id"]);
    assert_eq!(all[0]["user_id"], cast.reader.id);
    // Another reader has none.
    assert!(statements_of(&cast.other).await.is_empty());
}

#[tokio::test]
async fn a_statement_is_written_in_the_language_asked_for() {
    let (_app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "Un avis").await;
    cast.moderator
        .decide(id, "delete", None)
        .await
        .assert_status(200);

    let res = cast
        .reader
        .send_with(
            Method::GET,
            "/me/statements",
            None,
            &[("Accept-Language", "ar")],
        )
        .await;
    let s = &res.assert_status(200)["statements"][0];
    assert_eq!(
        s["ground"],
        json!({"type": "rule", "rule": "abusive"}),
        "the default rule"
    );
    assert_eq!(s["rule_text"], "تُحذف التعليقات المسيئة.");
    assert_eq!(s["facts"], "قرار مشرف، دون سبب مفصل.");
    assert!(s["redress"].as_str().unwrap().contains("القضاء"));

    let res = cast
        .reader
        .send_with(
            Method::GET,
            "/me/statements",
            None,
            &[("Accept-Language", "en")],
        )
        .await;
    let s = &res.assert_status(200)["statements"][0];
    assert_eq!(s["rule_text"], "Abusive comments are removed.");
    assert!(s["redress"].as_str().unwrap().contains("courts"));
}

#[tokio::test]
async fn an_illegal_ground_is_kept_and_filtered_on() {
    let (_app, cast) = TestApp::with_cast().await;
    let first = cast.reader.comment_id("a1", "Untel est un escroc").await;
    let second = cast.other.comment_id("a1", "Achetez mes montres").await;
    let illegal = json!({"type": "illegal", "law": "Loi du 29 juillet 1881, art. 32",
                         "explanation": "Diffamation envers un particulier"});
    cast.moderator
        .post(
            &format!("/mod/comments/{first}/delete"),
            json!({"ground": illegal}),
        )
        .await
        .assert_status(200);
    cast.moderator
        .post(
            &format!("/mod/comments/{second}/reject"),
            json!({"ground": {"type": "rule", "rule": "spam"}}),
        )
        .await
        .assert_status(200);

    let mine = statements_of(&cast.reader).await;
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["ground"], illegal);
    assert_eq!(mine[0]["rule_text"], Value::Null);

    let by_law = mod_statements(&cast.moderator, "ground=illegal").await;
    assert_eq!(by_law.len(), 1);
    assert_eq!(by_law[0]["comment"]["id"], first);
    let by_rule = mod_statements(&cast.moderator, "ground=rule&rule=spam").await;
    assert_eq!(by_rule.len(), 1);
    assert_eq!(by_rule[0]["comment"]["id"], second);
    assert!(mod_statements(&cast.moderator, "rule=off_topic")
        .await
        .is_empty());
    assert_eq!(
        mod_statements(&cast.moderator, "decision=removed")
            .await
            .len(),
        2
    );
    assert!(
        mod_statements(&cast.moderator, "decision=account_suspended")
            .await
            .is_empty()
    );
    // Newest first.
    let all = mod_statements(&cast.moderator, "").await;
    assert_eq!(all[0]["comment"]["id"], second);
    assert_eq!(all[1]["comment"]["id"], first);
}

#[tokio::test]
async fn bad_grounds_and_filters_are_refused_with_422() {
    let (_app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "Un avis").await;
    let unknown = json!({"type": "rule", "rule": "rude"});
    for action in ["reject", "delete"] {
        let path = format!("/mod/comments/{id}/{action}");
        cast.moderator
            .post(&path, json!({"ground": unknown}))
            .await
            .assert_field_error("ground");
        cast.moderator
            .post(
                &path,
                json!({"ground": {"type": "illegal", "law": " ", "explanation": "x"}}),
            )
            .await
            .assert_field_error("ground.law");
        cast.moderator
            .post(
                &path,
                json!({"ground": {"type": "illegal", "law": "L", "explanation": ""}}),
            )
            .await
            .assert_field_error("ground.explanation");
        let long = "x".repeat(501);
        cast.moderator
            .post(
                &path,
                json!({"ground": {"type": "illegal", "law": long, "explanation": "e"}}),
            )
            .await
            .assert_field_error("ground.law");
    }
    cast.moderator
        .post(
            "/mod/bulk",
            json!({"action": "reject", "ids": [id], "ground": unknown}),
        )
        .await
        .assert_field_error("ground");
    cast.moderator
        .ban(
            cast.reader.id,
            json!({"reason": "insultes", "ground": unknown}),
        )
        .await
        .assert_field_error("ground");
    // Nothing was decided, so nothing was explained.
    assert_eq!(cast.moderator.status_of(id).await, "approved");
    assert!(statements_of(&cast.reader).await.is_empty());

    for query in ["decision=erased", "ground=moral", "rule=rude"] {
        let field = query.split('=').next().unwrap();
        cast.moderator
            .get(&format!("/mod/statements?{query}"))
            .await
            .assert_field_error(field);
    }
}

#[tokio::test]
async fn bulk_decisions_write_one_statement_per_removed_comment() {
    let (_app, cast) = TestApp::with_cast().await;
    let a = cast.reader.comment_id("a1", "Premier").await;
    let b = cast.reader.comment_id("a1", "Second").await;
    let res = cast
        .moderator
        .post(
            "/mod/bulk",
            json!({"action": "delete", "ids": [a, b, 999], "reason": "doublons",
                   "ground": {"type": "rule", "rule": "spam"}}),
        )
        .await;
    assert_eq!(res.assert_status(200)["updated"], json!([a, b]));
    let mine = statements_of(&cast.reader).await;
    let ids: Vec<i64> = mine
        .iter()
        .map(|s| s["comment"]["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![b, a]);
    for s in &mine {
        assert_eq!(s["ground"]["rule"], "spam");
        assert_eq!(s["facts"], "doublons");
    }
    // Approving is no removal: no statement.
    let c = cast.reader.comment_id("a1", "Troisième").await;
    cast.moderator.approve(c).await.assert_status(200);
    assert_eq!(statements_of(&cast.reader).await.len(), 2);
}

#[tokio::test]
async fn an_automated_rejection_names_the_rule_that_fired() {
    let (_app, cast) = TestApp::with_cast().await;
    cast.admin.add_words(&[("connard", "banned")]).await;
    let res = cast.reader.comment("a1", "Quel c0nnard, ce ministre").await;
    let id = res.assert_status(201)["id"].as_i64().unwrap();
    assert_eq!(res.assert_status(201)["status"], "rejected");

    let mine = statements_of(&cast.reader).await;
    assert_eq!(mine.len(), 1);
    let s = &mine[0];
    assert_eq!(s["decision"], "removed");
    assert_eq!(s["comment"]["id"], id);
    assert_eq!(s["automated_detection"], true);
    assert_eq!(s["automated_decision"], "fully");
    assert_eq!(s["source"], "own_initiative");
    assert_eq!(s["ground"], json!({"type": "rule", "rule": "abusive"}));
    let facts = s["facts"].as_str().unwrap();
    assert!(facts.starts_with("banned_word"), "{facts}");
    assert!(facts.contains("c0nnard"), "what it matched: {facts}");
    let seen = mod_statements(&cast.moderator, "decision=removed").await;
    assert_eq!(seen[0]["automated_decision"], "fully");
}

#[tokio::test]
async fn a_hold_by_reports_restricts_a_published_comment_with_a_statement() {
    let (app, cast) = TestApp::with_cast().await;
    app.set_settings(|s| s.report_threshold = 1);
    let id = cast.reader.comment_id("a1", "Un avis publié").await;
    cast.other.report(id, "abusive").await.assert_status(201);
    assert_eq!(cast.moderator.status_of(id).await, "pending");

    let mine = statements_of(&cast.reader).await;
    assert_eq!(mine.len(), 1);
    let s = &mine[0];
    assert_eq!(s["decision"], "restricted");
    assert_eq!(s["source"], "report");
    assert_eq!(s["automated_detection"], false);
    assert_eq!(s["automated_decision"], "fully");
    assert_eq!(s["facts"], "reports");

    // Rejected then, on the reports: its statement's source says so.
    cast.moderator.reject(id).await.assert_status(200);
    let mine = statements_of(&cast.reader).await;
    assert_eq!(mine.len(), 2);
    assert_eq!(mine[0]["decision"], "removed");
    assert_eq!(mine[0]["source"], "report");
}

#[tokio::test]
async fn a_ban_writes_a_statement_the_banned_author_can_read() {
    let (_app, cast) = TestApp::with_cast().await;
    cast.moderator
        .ban(
            cast.reader.id,
            json!({"reason": "insultes répétées", "until": from_now(86_400_000)}),
        )
        .await
        .assert_status(200);

    let mine = statements_of(&cast.reader).await;
    assert_eq!(mine.len(), 1);
    let s = &mine[0];
    assert_eq!(s["decision"], "account_suspended");
    assert_eq!(s["comment"], Value::Null);
    assert_eq!(s["facts"], "insultes répétées");
    assert_eq!(s["ground"], json!({"type": "rule", "rule": "abusive"}));
    assert_eq!(s["automated_decision"], "not");
    let seen = mod_statements(&cast.moderator, "decision=account_suspended").await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0]["user_id"], cast.reader.id);
}

#[tokio::test]
async fn statements_are_paged_like_every_list() {
    let (_app, cast) = TestApp::with_cast().await;
    for text in ["un", "deux", "trois"] {
        let id = cast.reader.comment_id("a1", text).await;
        cast.moderator.reject(id).await.assert_status(200);
    }
    let first = cast.reader.get("/me/statements?limit=2").await;
    let first = first.assert_status(200);
    assert_eq!(first["statements"].as_array().unwrap().len(), 2);
    let cursor = first["next_cursor"].as_str().expect("a next page");
    let second = cast
        .reader
        .get(&format!("/me/statements?limit=2&cursor={cursor}"))
        .await;
    let second = second.assert_status(200);
    assert_eq!(second["statements"].as_array().unwrap().len(), 1);
    assert_eq!(second["statements"][0]["comment"]["excerpt"], "un");
    assert_eq!(second["next_cursor"], Value::Null);
    cast.reader
        .get("/me/statements?cursor=%%%")
        .await
        .assert_error(400, "invalid_cursor");
    cast.reader
        .get("/me/statements?limit=0")
        .await
        .assert_field_error("limit");
}

#[tokio::test]
async fn role_matrix_of_the_statement_routes() {
    let (app, cast) = TestApp::with_cast().await;
    app.get("/me/statements", None)
        .await
        .assert_error(401, "unauthenticated");
    app.get("/mod/statements", None)
        .await
        .assert_error(401, "unauthenticated");
    for reader in [&cast.reader, &cast.other] {
        reader.get("/me/statements").await.assert_status(200);
        reader
            .get("/mod/statements")
            .await
            .assert_error(403, "forbidden");
    }
    for staff in [&cast.moderator, &cast.admin] {
        staff.get("/me/statements").await.assert_status(200);
        staff.get("/mod/statements").await.assert_status(200);
    }
}
