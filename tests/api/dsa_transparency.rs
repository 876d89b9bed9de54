//! The transparency report (EU Digital Services Act, Art. 15 and 24): the
//! figures of a seeded history, as JSON and CSV, and who may read them.

use crate::helpers::*;
use serde_json::json;

/// Moves appeal `id`'s filing `hours` hours back in time.
fn age_appeal(app: &TestApp, id: i64, hours: i64) {
    use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
    use tribune::store::schema::appeals;
    let ms = hours * 60 * 60 * 1000;
    app.db
        .write_now(|conn| {
            diesel::update(appeals::table.find(id))
                .set(appeals::created_at.eq(appeals::created_at - ms))
                .execute(conn)?;
            Ok::<_, tribune::store::StoreError>(())
        })
        .expect("appeal aged");
}

fn today() -> String {
    chrono::Utc::now().format("%Y-%m-%d").to_string()
}

/// The day before: appeals aged by a few hours just after midnight (UTC)
/// were filed yesterday, so a report must start then to count them.
fn yesterday() -> String {
    (chrono::Utc::now() - chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn the_report_counts_a_seeded_history() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin.add_words(&[("connard", "banned")]).await;
    // Two moderators' removals, one on the law, one automated rejection, one ban.
    let a = cast.reader.comment_id("a1", "Premier avis").await;
    let b = cast.reader.comment_id("a1", "Second avis").await;
    cast.moderator
        .post(
            &format!("/mod/comments/{a}/reject"),
            json!({"ground": {"type": "rule", "rule": "off_topic"}}),
        )
        .await
        .assert_status(200);
    cast.moderator
        .post(
            &format!("/mod/comments/{b}/delete"),
            json!({"ground": {"type": "illegal", "law": "Code pénal, art. 222-33-2-2",
                              "explanation": "Harcèlement"}}),
        )
        .await
        .assert_status(200);
    cast.other
        .comment("a1", "Espèce de connard")
        .await
        .assert_status(201);
    cast.moderator
        .ban(cast.other.id, json!({"reason": "insultes"}))
        .await
        .assert_status(200);
    // Two appeals: one upheld after 2 hours, one reversed after 4.
    let statements = cast.reader.get("/me/statements").await;
    let ids: Vec<i64> = statements.assert_status(200)["statements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    let mut appeals = Vec::new();
    for id in &ids {
        let res = cast
            .reader
            .post(
                &format!("/me/statements/{id}/appeal"),
                json!({"text": "Revoyez"}),
            )
            .await;
        appeals.push(res.assert_status(201)["id"].as_i64().unwrap());
    }
    age_appeal(&app, appeals[0], 2);
    age_appeal(&app, appeals[1], 4);
    for (id, outcome) in appeals.iter().zip(["upheld", "reversed"]) {
        cast.admin
            .post(
                &format!("/mod/appeals/{id}/decision"),
                json!({"outcome": outcome}),
            )
            .await
            .assert_status(200);
    }

    let (from, day) = (yesterday(), today());
    let res = cast
        .admin
        .get(&format!("/admin/transparency?from={from}&to={day}"))
        .await;
    let r = res.assert_status(200);
    assert_eq!(r["from"], from);
    assert_eq!(r["to"], day);
    let d = &r["decisions"];
    assert_eq!(d["total"], 4, "{r}");
    assert_eq!(
        d["by_decision"],
        json!({"removed": 3, "account_suspended": 1})
    );
    assert_eq!(d["by_ground"], json!({"rule": 3, "illegal": 1}));
    assert_eq!(d["by_rule"], json!({"abusive": 2, "off_topic": 1}));
    assert_eq!(d["automated_detection"], 1);
    assert_eq!(d["by_automated_decision"], json!({"fully": 1, "not": 3}));
    assert_eq!(d["by_source"], json!({"own_initiative": 4}));
    let a = &r["appeals"];
    assert_eq!(
        (&a["total"], &a["open"], &a["upheld"], &a["reversed"]),
        (&json!(2), &json!(0), &json!(1), &json!(1))
    );
    // 2 and 4 hours, plus the few milliseconds each decision took.
    let median = a["median_hours"].as_f64().unwrap();
    assert!((3.0..3.01).contains(&median), "{median}");
    assert_eq!(r["suspensions"], 1);

    // CSV is no JSON: read it raw.
    let res = app
        .client
        .get(app.url(&format!(
            "/admin/transparency?from={from}&to={day}&format=csv"
        )))
        .bearer_auth(&cast.admin.token)
        .send()
        .await
        .expect("an answer");
    assert_eq!(res.status().as_u16(), 200);
    let content_type = res.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    let text = res.text().await.expect("a body");
    assert!(text.starts_with("section,key,value\n"), "{text}");
    for line in [
        "decisions,total,4",
        "decision,removed,3",
        "ground,illegal,1",
        "rule,off_topic,1",
        "appeals,reversed,1",
        "appeals,median_hours,3.00",
        "suspensions,total,1",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in {text}");
    }

    // A period before any of it is empty.
    let res = cast
        .admin
        .get("/admin/transparency?from=2020-01-01&to=2020-12-31")
        .await;
    let empty = res.assert_status(200);
    assert_eq!(empty["decisions"]["total"], 0);
    assert_eq!(empty["appeals"]["median_hours"], serde_json::Value::Null);
}

#[tokio::test]
async fn a_bad_period_is_refused_with_422() {
    let (_app, cast) = TestApp::with_cast().await;
    for (query, field) in [
        ("to=2026-01-01", "from"),
        ("from=2026-01-01", "to"),
        ("from=2026-13-01&to=2026-12-31", "from"),
        ("from=2026-02-01&to=2026-01-01", "to"),
        ("from=2026-01-01&to=2026-01-31&format=xml", "format"),
    ] {
        cast.admin
            .get(&format!("/admin/transparency?{query}"))
            .await
            .assert_field_error(field);
    }
}

#[tokio::test]
async fn role_matrix_of_the_transparency_report() {
    let (app, cast) = TestApp::with_cast().await;
    let path = "/admin/transparency?from=2026-01-01&to=2026-12-31";
    app.get(path, None)
        .await
        .assert_error(401, "unauthenticated");
    for user in [&cast.reader, &cast.other, &cast.moderator] {
        user.get(path).await.assert_error(403, "forbidden");
    }
    cast.admin.get(path).await.assert_status(200);
}
