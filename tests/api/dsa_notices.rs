//! Notices of illegal content (EU Digital Services Act, Art. 16 and 22):
//! anyone notifies without an account and hears back by mail; trusted
//! flaggers go first; a decision on the comment settles its notices. Also
//! the mails of statements and appeals, and the Transparency Database export.

use crate::helpers::*;
use reqwest::Method;
use serde_json::{json, Value};
use tribune::store::models::MailRow;

const EXPLANATION: &str = "Ce commentaire diffame nommément une personne privée.";

fn notice_body(category: &str) -> Value {
    json!({
        "category": category,
        "explanation": EXPLANATION,
        "name": "Samia Benali",
        "email": "samia@example.org",
        "good_faith": true,
    })
}

/// A notice sent without an account, in `lang`.
async fn notify(app: &TestApp, comment: i64, body: Value, lang: &str) -> Resp {
    app.send_with(
        Method::POST,
        &format!("/comments/{comment}/notices"),
        None,
        Some(body),
        &[("Accept-Language", lang)],
    )
    .await
}

fn outbox(app: &TestApp) -> Vec<MailRow> {
    app.db
        .write_now(|conn| tribune::store::mails::list(conn, 1000))
        .expect("mails")
}

fn mails_to(app: &TestApp, kind: &str, to: &str) -> Vec<MailRow> {
    outbox(app)
        .into_iter()
        .filter(|m| m.kind == kind && m.recipient == to)
        .collect()
}

/// Marks `user`'s address verified, as following the link does.
fn verified(app: &TestApp, user: &User) {
    use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
    use tribune::store::schema::users;
    app.db
        .write_now(|conn| {
            diesel::update(users::table.find(user.id))
                .set(users::email_verified_at.eq(Some(1_i64)))
                .execute(conn)?;
            Ok::<_, tribune::store::StoreError>(())
        })
        .expect("verified");
}

/// What the mail worker queues for the statements written since its last pass.
fn mail_statements(app: &TestApp) -> usize {
    let config = app.config.clone();
    app.db
        .write_now(|conn| tribune::service::dsa_mail::mail_statements(conn, &config))
        .expect("statement mails")
}

async fn open_notices(user: &User, query: &str) -> Value {
    user.get(&format!("/mod/notices?{query}"))
        .await
        .assert_status(200)
        .clone()
}

#[tokio::test]
async fn a_notice_without_an_account_is_acknowledged_then_decided_by_mail() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast
        .reader
        .comment_id("a1", "Untel est un escroc notoire")
        .await;

    let res = notify(&app, id, notice_body("illegal_or_harmful_speech"), "fr").await;
    let created = res.assert_status(201);
    let notice = created["id"].as_i64().unwrap();
    assert_eq!(created, &json!({"id": notice, "status": "received"}));

    // The acknowledgement, at once, in the notifier's language.
    let ack = mails_to(&app, "notice", "samia@example.org");
    assert_eq!(ack.len(), 1);
    assert_eq!(ack[0].subject, "Nous avons reçu votre notification");
    assert!(
        ack[0].text_body.contains("Samia Benali"),
        "{}",
        ack[0].text_body
    );
    assert!(ack[0].text_body.contains("illegal_or_harmful_speech"));
    assert!(ack[0].text_body.contains("> Untel est un escroc notoire"));
    assert_eq!(ack[0].user_id, None);

    // Moderators see it in the queue, with its comment.
    let page = open_notices(&cast.moderator, "").await;
    let item = &page["notices"][0];
    assert_eq!(item["id"], notice);
    assert_eq!(item["category"], "illegal_or_harmful_speech");
    assert_eq!(item["explanation"], EXPLANATION);
    assert_eq!(item["name"], "Samia Benali");
    assert_eq!(item["email"], "samia@example.org");
    assert_eq!(item["trusted_flagger"], false);
    assert_eq!(item["comment"]["id"], id);
    assert_eq!(item["comment"]["body"], "Untel est un escroc notoire");
    assert_eq!(page["next_cursor"], Value::Null);

    // The decision settles it and tells the notifier.
    verified(&app, &cast.reader);
    cast.reader
        .patch("/me", json!({"locale": "ar"}))
        .await
        .assert_status(200);
    cast.moderator
        .post(
            &format!("/mod/comments/{id}/reject"),
            json!({"reason": "diffamation", "ground": {"type": "illegal", "law": "Loi du 29 juillet 1881, art. 32", "explanation": "Diffamation envers un particulier"}}),
        )
        .await
        .assert_status(200);
    let page = open_notices(&cast.moderator, "").await;
    assert_eq!(page["notices"], json!([]));
    let mails = mails_to(&app, "notice", "samia@example.org");
    assert_eq!(mails.len(), 2, "{mails:?}");
    let decided = &mails[1];
    assert_eq!(decided.subject, "Notre décision sur votre notification");
    assert!(decided
        .text_body
        .contains("nous avons retiré le commentaire"));
    assert!(decided.text_body.contains("sans moyen automatisé"));

    // The author's statement names the notice as its source.
    let mine = cast.reader.get("/me/statements").await;
    let s = &mine.assert_status(200)["statements"][0];
    assert_eq!(s["source"], "notice");
    assert_eq!(s["decision"], "removed");

    // And the author, whose address is verified, gets it by mail in Arabic.
    assert_eq!(mail_statements(&app), 1);
    assert_eq!(mail_statements(&app), 0, "once per statement");
    let told = mails_to(&app, "statement", "nadia@example.com");
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].subject, "لماذا أُزيل تعليقك");
    assert!(told[0].html_body.contains("<html lang=\"ar\" dir=\"rtl\">"));
    assert!(told[0]
        .text_body
        .contains("Loi du 29 juillet 1881, art. 32"));
    assert!(told[0].text_body.contains("diffamation"));
    assert!(told[0].text_body.contains("اتخذ القرارَ شخصٌ"));
}

#[tokio::test]
async fn an_unverified_author_gets_no_statement_mail() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "Un avis").await;
    cast.moderator.reject(id).await.assert_status(200);
    assert_eq!(mail_statements(&app), 0);
    assert!(mails_to(&app, "statement", "nadia@example.com").is_empty());
}

#[tokio::test]
async fn every_bad_notice_is_refused_with_422() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "Un commentaire").await;
    let with = |change: &dyn Fn(&mut Value)| {
        let mut body = notice_body("violence");
        change(&mut body);
        body
    };
    let cases: Vec<(Value, &str)> = vec![
        (
            with(&|b| {
                b.as_object_mut().unwrap().remove("good_faith");
            }),
            "good_faith",
        ),
        (with(&|b| b["good_faith"] = json!(false)), "good_faith"),
        (with(&|b| b["category"] = json!("rudeness")), "category"),
        (
            with(&|b| b["category"] = json!("STATEMENT_CATEGORY_VIOLENCE")),
            "category",
        ),
        (
            with(&|b| b["explanation"] = json!("Trop court")),
            "explanation",
        ),
        (
            with(&|b| b["explanation"] = json!("x".repeat(5001))),
            "explanation",
        ),
        (
            with(&|b| {
                b.as_object_mut().unwrap().remove("name");
            }),
            "name",
        ),
        (
            with(&|b| {
                b.as_object_mut().unwrap().remove("email");
            }),
            "email",
        ),
        (with(&|b| b["email"] = json!("pas-une-adresse")), "email"),
        (with(&|b| b["extra"] = json!(1)), "extra"),
    ];
    for (body, field) in cases {
        notify(&app, id, body, "fr").await.assert_field_error(field);
    }
    // Child sexual abuse material may be notified anonymously (Art. 16(2)(c)).
    let anonymous = json!({
        "category": "protection_of_minors",
        "explanation": EXPLANATION,
        "good_faith": true,
    });
    notify(&app, id, anonymous, "fr").await.assert_status(201);
    // Nothing was queued for the refused ones, and no mail without an address.
    let page = open_notices(&cast.moderator, "").await;
    assert_eq!(page["notices"].as_array().unwrap().len(), 1);
    assert!(outbox(&app).iter().all(|m| m.kind != "notice"));
}

#[tokio::test]
async fn a_comment_readers_cannot_see_cannot_be_notified() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "Bientôt rejeté").await;
    cast.moderator.reject(id).await.assert_status(200);
    notify(&app, id, notice_body("violence"), "fr")
        .await
        .assert_error(404, "not_found");
    cast.other
        .post(&format!("/comments/{id}/notices"), notice_body("violence"))
        .await
        .assert_error(404, "not_found");
    notify(&app, 999_999, notice_body("violence"), "fr")
        .await
        .assert_error(404, "not_found");
    notify(&app, 0, notice_body("violence"), "fr")
        .await
        .assert_error(404, "not_found");
}

#[tokio::test]
async fn trusted_flaggers_notices_come_first() {
    let (app, cast) = TestApp::with_cast().await;
    let first = cast.reader.comment_id("a1", "Premier commentaire").await;
    let second = cast.reader.comment_id("a1", "Second commentaire").await;

    let res = cast
        .admin
        .patch(
            &format!("/admin/users/{}", cast.other.id),
            json!({"trusted_flagger": true}),
        )
        .await;
    let me = res.assert_status(200);
    assert_eq!(me["trusted_flagger"], true);
    assert_eq!(me["role"], "reader");
    let log = cast.admin.log_entries().await;
    assert!(log
        .iter()
        .any(|e| e["action"] == "trusted_flagger" && e["reason"] == "on"));

    // An anonymous notice, then a trusted flagger's: the latter comes first.
    notify(&app, first, notice_body("violence"), "fr")
        .await
        .assert_status(201);
    cast.other
        .post(
            &format!("/comments/{second}/notices"),
            notice_body("scams_and_fraud"),
        )
        .await
        .assert_status(201);
    let page = open_notices(&cast.moderator, "").await;
    let order: Vec<(i64, bool)> = page["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["comment"]["id"].as_i64().unwrap(),
                n["trusted_flagger"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(order, vec![(second, true), (first, false)]);
    // Paged one at a time, in the same order.
    let one = open_notices(&cast.moderator, "limit=1").await;
    assert_eq!(one["notices"][0]["comment"]["id"], second);
    let cursor = one["next_cursor"].as_str().unwrap().to_string();
    let two = open_notices(&cast.moderator, &format!("limit=1&cursor={cursor}")).await;
    assert_eq!(two["notices"][0]["comment"]["id"], first);
    assert_eq!(two["next_cursor"], Value::Null);

    // Removing the trusted flagger's comment says so; approving the other
    // settles its notice as kept.
    cast.moderator.reject(second).await.assert_status(200);
    cast.moderator.approve(first).await.assert_status(200);
    let statements = cast.reader.get("/me/statements").await;
    let s = &statements.assert_status(200)["statements"];
    assert_eq!(s.as_array().unwrap().len(), 1);
    assert_eq!(s[0]["source"], "trusted_flagger");
    assert_eq!(
        open_notices(&cast.moderator, "").await["notices"],
        json!([])
    );
    let kept = mails_to(&app, "notice", "samia@example.org");
    assert!(kept.iter().any(|m| m
        .text_body
        .contains("nous avons laissé en ligne le commentaire")));

    // Taken back.
    let res = cast
        .admin
        .patch(
            &format!("/admin/users/{}", cast.other.id),
            json!({"trusted_flagger": false}),
        )
        .await;
    assert_eq!(res.assert_status(200)["trusted_flagger"], false);
}

#[tokio::test]
async fn notices_are_rate_limited_per_address() {
    let app = TestApp::spawn_with(|c| {
        c.rate_limit.enabled = true;
        c.rate_limit.notices_per_address_per_hour = 2;
    })
    .await;
    let cast = app.cast().await;
    let id = cast.reader.comment_id("a1", "Un commentaire").await;
    for _ in 0..2 {
        notify(&app, id, notice_body("violence"), "fr")
            .await
            .assert_status(201);
    }
    let res = notify(&app, id, notice_body("violence"), "fr").await;
    res.assert_error(429, "rate_limited");
    assert!(res.header("Retry-After").is_some());
}

#[tokio::test]
async fn the_transparency_report_counts_notices() {
    let (app, cast) = TestApp::with_cast().await;
    let a = cast.reader.comment_id("a1", "Premier").await;
    let b = cast.reader.comment_id("a1", "Second").await;
    cast.admin
        .patch(
            &format!("/admin/users/{}", cast.other.id),
            json!({"trusted_flagger": true}),
        )
        .await
        .assert_status(200);
    notify(&app, a, notice_body("violence"), "fr")
        .await
        .assert_status(201);
    notify(&app, a, notice_body("scams_and_fraud"), "fr")
        .await
        .assert_status(201);
    cast.other
        .post(&format!("/comments/{b}/notices"), notice_body("violence"))
        .await
        .assert_status(201);
    cast.moderator.reject(a).await.assert_status(200);

    let day = &tribune::domain::time::format(tribune::store::now_ms())[..10];
    let res = cast
        .admin
        .get(&format!("/admin/transparency?from={day}&to={day}"))
        .await;
    let report = res.assert_status(200);
    let n = &report["notices"];
    assert_eq!(n["total"], 3);
    assert_eq!(
        n["by_category"],
        json!({"scams_and_fraud": 1, "violence": 2})
    );
    assert_eq!(n["by_source"], json!({"notice": 2, "trusted_flagger": 1}));
    assert_eq!(n["decided"], 2);
    assert!(n["median_hours"].as_f64().unwrap() >= 0.0);
    assert_eq!(report["decisions"]["by_source"], json!({"notice": 1}));

    let res = app
        .client
        .get(app.url(&format!(
            "/admin/transparency?from={day}&to={day}&format=csv"
        )))
        .bearer_auth(&cast.admin.token)
        .send()
        .await
        .expect("an answer");
    assert_eq!(res.status().as_u16(), 200);
    let text = res.text().await.expect("a body");
    for line in [
        "notices,total,3",
        "notice_category,violence,2",
        "notice_source,trusted_flagger,1",
        "notices,decided,2",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in {text}");
    }
}

#[tokio::test]
async fn the_author_hears_the_outcome_of_an_appeal() {
    let (app, cast) = TestApp::with_cast().await;
    verified(&app, &cast.reader);
    let id = cast.reader.comment_id("a1", "Mon avis").await;
    cast.moderator.reject(id).await.assert_status(200);
    let statements = cast.reader.get("/me/statements").await;
    let statement = statements.assert_status(200)["statements"][0]["id"]
        .as_i64()
        .unwrap();
    let filed = cast
        .reader
        .post(
            &format!("/me/statements/{statement}/appeal"),
            json!({"text": "Il respectait les règles"}),
        )
        .await;
    let appeal = filed.assert_status(201)["id"].as_i64().unwrap();
    cast.admin
        .post(
            &format!("/mod/appeals/{appeal}/decision"),
            json!({"outcome": "reversed", "reason": "erreur de notre part"}),
        )
        .await
        .assert_status(200);
    let mails = mails_to(&app, "appeal", "nadia@example.com");
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].subject, "La décision sur votre recours");
    assert!(mails[0].text_body.contains("annulé la décision"));
    assert!(mails[0].text_body.contains("erreur de notre part"));
}

#[tokio::test]
async fn the_export_follows_the_transparency_database_schema() {
    let (app, cast) = TestApp::with_cast().await;
    let noticed = cast.reader.comment_id("a1", "Signalé").await;
    let illegal = cast.reader.comment_id("a1", "Illicite").await;
    notify(&app, noticed, notice_body("scams_and_fraud"), "fr")
        .await
        .assert_status(201);
    cast.moderator
        .post(
            &format!("/mod/comments/{noticed}/reject"),
            json!({"reason": "arnaque", "ground": {"type": "rule", "rule": "spam"}}),
        )
        .await
        .assert_status(200);
    cast.moderator
        .post(
            &format!("/mod/comments/{illegal}/delete"),
            json!({"ground": {"type": "illegal", "law": "Code pénal, art. 222-33-2-2", "explanation": "Harcèlement"}}),
        )
        .await
        .assert_status(200);
    cast.moderator
        .ban(cast.other.id, json!({"reason": "insultes répétées"}))
        .await
        .assert_status(200);

    let moderation = app.config.moderation.clone();
    let mut out = Vec::new();
    let count = app
        .db
        .write_now(|conn| tribune::service::statements::export_tdb(conn, &moderation, 0, &mut out))
        .expect("export");
    assert_eq!(count, 3);
    let lines: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(lines.len(), 3);
    let today = tribune::domain::time::format(tribune::store::now_ms())[..10].to_string();
    let eea = json!([
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
        "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK"
    ]);

    // A rule's removal that a notice led to: the notice's category.
    let puid = |v: &Value| v["puid"].as_str().unwrap().to_string();
    let rule = &lines[0];
    assert!(puid(rule).starts_with("tribune-statement-"));
    assert_eq!(
        rule,
        &json!({
            "puid": puid(rule),
            "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
            "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
            "incompatible_content_ground": "spam",
            "incompatible_content_explanation": "Advertising and repeated messages are removed.",
            "incompatible_content_illegal": "No",
            "category": "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
            "content_type": ["CONTENT_TYPE_TEXT"],
            "territorial_scope": eea,
            "content_date": today,
            "application_date": today,
            "decision_facts": "arnaque",
            "source_type": "SOURCE_ARTICLE_16",
            "automated_detection": "No",
            "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED",
        })
    );
    // The law, on the moderator's own initiative.
    let law = &lines[1];
    assert_eq!(
        law,
        &json!({
            "puid": puid(law),
            "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
            "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT",
            "illegal_content_legal_ground": "Code pénal, art. 222-33-2-2",
            "illegal_content_explanation": "Harcèlement",
            "category": "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
            "content_type": ["CONTENT_TYPE_TEXT"],
            "territorial_scope": eea,
            "content_date": today,
            "application_date": today,
            "decision_facts": "A moderator's decision, without a detailed reason.",
            "source_type": "SOURCE_VOLUNTARY",
            "automated_detection": "No",
            "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED",
        })
    );
    // A suspension, on the default rule and its configured category.
    let ban = &lines[2];
    assert_eq!(ban["decision_account"], "DECISION_ACCOUNT_SUSPENDED");
    assert!(ban.get("decision_visibility").is_none());
    assert_eq!(
        ban["decision_ground"],
        "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    );
    assert_eq!(ban["incompatible_content_ground"], "abusive");
    assert_eq!(
        ban["category"],
        "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH"
    );
    assert_eq!(ban["decision_facts"], "insultes répétées");
    assert_eq!(ban["source_type"], "SOURCE_VOLUNTARY");
    // puids are unique.
    let mut puids: Vec<String> = lines.iter().map(puid).collect();
    puids.dedup();
    assert_eq!(puids.len(), 3);

    // Since tomorrow: nothing.
    let mut none = Vec::new();
    let later = tribune::store::now_ms() + 86_400_000;
    let count = app
        .db
        .write_now(|conn| {
            tribune::service::statements::export_tdb(conn, &moderation, later, &mut none)
        })
        .expect("export");
    assert_eq!((count, none.len()), (0, 0));
}

#[tokio::test]
async fn role_matrix_of_the_notice_routes() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast
        .admin
        .comment_id("a1", "Un commentaire de l'admin")
        .await;

    // Anyone notifies: no account, any account.
    notify(&app, id, notice_body("violence"), "en")
        .await
        .assert_status(201);
    for user in [&cast.reader, &cast.other, &cast.moderator, &cast.admin] {
        user.post(&format!("/comments/{id}/notices"), notice_body("violence"))
            .await
            .assert_status(201);
    }

    // The queue is for staff.
    app.get("/mod/notices", None)
        .await
        .assert_error(401, "unauthenticated");
    for reader in [&cast.reader, &cast.other] {
        reader
            .get("/mod/notices")
            .await
            .assert_error(403, "forbidden");
    }
    for staff in [&cast.moderator, &cast.admin] {
        let page = open_notices(staff, "").await;
        assert_eq!(page["notices"].as_array().unwrap().len(), 5);
    }
    cast.moderator
        .get("/mod/notices?limit=0")
        .await
        .assert_field_error("limit");
    cast.moderator
        .get("/mod/notices?cursor=%21%21")
        .await
        .assert_error(400, "invalid_cursor");

    // Trusted flaggers are made by admins only.
    let path = format!("/admin/users/{}", cast.reader.id);
    let on = json!({"trusted_flagger": true});
    app.patch(&path, None, on.clone())
        .await
        .assert_error(401, "unauthenticated");
    for user in [&cast.reader, &cast.other, &cast.moderator] {
        user.patch(&path, on.clone())
            .await
            .assert_error(403, "forbidden");
    }
    cast.admin
        .patch(&path, json!({}))
        .await
        .assert_field_error("role");
    cast.admin
        .patch(&path, json!({"trusted_flagger": "yes"}))
        .await
        .assert_field_error("trusted_flagger");
    cast.admin
        .patch("/admin/users/999999", on.clone())
        .await
        .assert_error(404, "not_found");
    let res = cast.admin.patch(&path, on).await;
    assert_eq!(res.assert_status(200)["trusted_flagger"], true);
    // The role still changes alone, as before.
    let res = cast.admin.patch(&path, json!({"role": "moderator"})).await;
    let me = res.assert_status(200);
    assert_eq!(
        (me["role"].clone(), me["trusted_flagger"].clone()),
        (json!("moderator"), json!(true))
    );
}

#[tokio::test]
async fn repeated_unfounded_appeals_are_warned_of_before_they_are_refused() {
    // The default limit: three upheld appeals in a row.
    let (app, cast) = TestApp::with_cast().await;
    verified(&app, &cast.reader);
    let mut bodies = Vec::new();
    for n in 0..4 {
        let id = cast.reader.comment_id("a1", &format!("Avis {n}")).await;
        cast.moderator.reject(id).await.assert_status(200);
        let page = cast.reader.get("/me/statements").await;
        let statement = page.assert_status(200)["statements"][0]["id"]
            .as_i64()
            .unwrap();
        let res = cast
            .reader
            .post(
                &format!("/me/statements/{statement}/appeal"),
                json!({"text": "Encore une fois, revoyez"}),
            )
            .await;
        if n == 3 {
            res.assert_error(403, "appeals_suspended");
            break;
        }
        let appeal = res.assert_status(201)["id"].as_i64().unwrap();
        cast.admin
            .post(
                &format!("/mod/appeals/{appeal}/decision"),
                json!({"outcome": "upheld"}),
            )
            .await
            .assert_status(200);
        let mails = mails_to(&app, "appeal", "nadia@example.com");
        bodies.push(mails.last().expect("an outcome mail").text_body.clone());
    }
    let warned = |b: &String| b.contains("Avertissement");
    let suspended = |b: &String| b.contains("ne sont plus traités");
    assert!(
        !warned(&bodies[0]) && !suspended(&bodies[0]),
        "{}",
        bodies[0]
    );
    assert!(warned(&bodies[1]), "{}", bodies[1]);
    assert!(suspended(&bodies[2]), "{}", bodies[2]);
}
