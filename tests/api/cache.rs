//! Cached thread pages never outlive the change that made them stale,
//! on this instance or another one.

use crate::helpers::*;
use serde_json::json;

fn bodies(thread: &[serde_json::Value]) -> Vec<String> {
    thread
        .iter()
        .map(|c| c["body"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_rejected_or_deleted_comment_leaves_the_cached_thread_at_once() {
    let (app, cast) = TestApp::with_cast().await;
    let bad = cast.reader.comment_id("a1", "à rejeter").await;
    let gone = cast.other.comment_id("a1", "à supprimer").await;
    cast.other.comment_id("a1", "reste").await;
    // Read twice so the second answer comes from the cache.
    assert_eq!(app.thread("a1", None).await.len(), 3);
    assert_eq!(app.thread("a1", None).await.len(), 3);

    cast.moderator
        .post(&format!("/mod/comments/{bad}/reject"), json!({}))
        .await
        .assert_status(200);
    assert_eq!(
        bodies(&app.thread("a1", None).await),
        vec!["à supprimer", "reste"]
    );

    cast.other
        .delete(&format!("/comments/{gone}"))
        .await
        .assert_status(204);
    assert_eq!(bodies(&app.thread("a1", None).await), vec!["reste"]);
}

#[tokio::test]
async fn edits_names_erasure_and_settings_show_through_the_cache() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "premier jet").await;
    app.thread("a1", None).await;
    cast.reader
        .patch(&format!("/comments/{id}"), json!({"body": "version revue"}))
        .await
        .assert_status(200);
    assert_eq!(bodies(&app.thread("a1", None).await), vec!["version revue"]);

    cast.reader
        .patch("/me", json!({"display_name": "Nadia B."}))
        .await
        .assert_status(200);
    assert_eq!(
        app.thread("a1", None).await[0]["author"]["display_name"],
        "Nadia B."
    );

    let page = app.get("/articles/a1/comments", None).await;
    assert_eq!(page.body["article"]["moderation"], "post");
    cast.admin
        .patch("/admin/settings", json!({"default_moderation": "pre"}))
        .await
        .assert_status(200);
    let page = app.get("/articles/a1/comments", None).await;
    assert_eq!(page.body["article"]["moderation"], "pre");

    cast.reader
        .send(
            reqwest::Method::DELETE,
            "/me",
            Some(json!({"password": PASSWORD})),
        )
        .await
        .assert_status(204);
    assert_eq!(
        app.thread("a1", None).await[0]["author"],
        serde_json::Value::Null
    );
}

#[tokio::test]
async fn another_instance_never_serves_a_page_made_stale_elsewhere() {
    let a = TestApp::spawn().await;
    let b = a.sibling().await;
    let cast = a.cast().await;
    let id = cast.reader.comment_id("a1", "lu partout").await;
    assert_eq!(a.thread("a1", None).await.len(), 1);
    assert_eq!(a.thread("a1", None).await.len(), 1);
    b.post(
        &format!("/mod/comments/{id}/reject"),
        Some(&cast.moderator.token),
        json!({}),
    )
    .await
    .assert_status(200);
    // SQLite: A asks the file, and sees it at once. PostgreSQL: A serves
    // the page from memory until B's NOTIFY arrives, within milliseconds
    // (docs/api.md gives the bound; ten times it here).
    let sqlite = a.config.database.url.starts_with("sqlite");
    let rejected = std::time::Instant::now();
    while !a.thread("a1", None).await.is_empty() {
        assert!(!sqlite, "A served a stale page");
        assert!(
            rejected.elapsed() < std::time::Duration::from_secs(10),
            "A still shows the rejected comment"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn signed_in_readers_still_see_their_own_pending_comments() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin.create_premoderated("pre").await;
    let id = cast.reader.comment_id("pre", "en attente").await;
    assert!(app.thread("pre", None).await.is_empty());
    let own = app.thread("pre", Some(&cast.reader.token)).await;
    assert_eq!(ids_of(&own), vec![id]);
    assert_eq!(own[0]["status"], "pending", "{own:?}");
    assert_eq!(own[0]["body"], "en attente");
    assert_eq!(own[0]["author"]["username"], "nadia");
    // Another reader, and the anonymous page cached meanwhile, still see none.
    assert!(app.thread("pre", Some(&cast.other.token)).await.is_empty());
    assert!(app.thread("pre", None).await.is_empty());
}

/// The page cache's hit and miss counters, from `/metrics`.
async fn cache_counts(app: &TestApp) -> (u64, u64) {
    let res = app.client.get(app.url("//metrics")).send().await.unwrap();
    let text = res.text().await.unwrap();
    let read = |name: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("{name} missing from:\n{text}"))
    };
    (
        read("tribune_page_cache_hits_total"),
        read("tribune_page_cache_misses_total"),
    )
}

async fn react(user: &User, id: i64) {
    let path = format!("/comments/{id}/reaction");
    user.send(reqwest::Method::PUT, &path, None)
        .await
        .assert_status(200);
}

#[tokio::test]
async fn signed_in_readers_get_the_cached_page_with_their_own_marks() {
    let app = TestApp::spawn_with(|c| c.cache.thread_pages_max_bytes = 1 << 20).await;
    let cast = app.cast().await;
    let theirs = cast.other.comment_id("a1", "bien vu").await;
    let mine = cast.reader.comment_id("a1", "merci").await;
    react(&cast.reader, theirs).await;
    react(&cast.moderator, mine).await;

    let anonymous = app.thread("a1", None).await;
    let (hits, misses) = cache_counts(&app).await;
    let reader = app.thread("a1", Some(&cast.reader.token)).await;
    let moderator = app.thread("a1", Some(&cast.moderator.token)).await;
    // Both came from the page the anonymous read filed: no build.
    assert_eq!(cache_counts(&app).await, (hits + 2, misses));

    assert_eq!(ids_of(&reader), vec![theirs, mine]);
    let marks = |page: &[serde_json::Value]| -> Vec<serde_json::Value> {
        page.iter().map(|c| c["reacted"].clone()).collect()
    };
    assert_eq!(marks(&reader), vec![json!(true), json!(false)]);
    assert_eq!(marks(&moderator), vec![json!(false), json!(true)]);
    assert!(anonymous.iter().all(|c| c.get("reacted").is_none()));
    // Apart from the marks, every reader's page is the shared one.
    let shared: Vec<_> = reader.iter().map(without_reacted).collect();
    assert_eq!(shared, anonymous);
    assert_eq!(
        reader
            .iter()
            .map(|c| c["reactions"].clone())
            .collect::<Vec<_>>(),
        vec![json!(1), json!(1)]
    );
}

#[tokio::test]
async fn a_reader_with_a_comment_waiting_gets_a_page_of_their_own_with_marks() {
    let app = TestApp::spawn_with(|c| c.cache.thread_pages_max_bytes = 1 << 20).await;
    let cast = app.cast().await;
    cast.admin.create_premoderated("pre").await;
    let theirs = cast.other.comment_id("pre", "validé").await;
    cast.moderator.approve(theirs).await.assert_status(200);
    react(&cast.reader, theirs).await;
    let waiting = cast.reader.comment_id("pre", "en attente").await;

    assert_eq!(ids_of(&app.thread("pre", None).await), vec![theirs]);
    let counts = cache_counts(&app).await;
    let own = app.thread("pre", Some(&cast.reader.token)).await;
    // Built for them, and not filed where other readers would find it.
    assert_eq!(cache_counts(&app).await, counts);
    assert_eq!(ids_of(&own), vec![theirs, waiting]);
    assert_eq!(own[0]["reacted"], true);
    assert_eq!(own[1]["reacted"], false);
    assert_eq!(own[1]["status"], "pending");

    // Once it is approved, their page is the shared one again.
    cast.moderator.approve(waiting).await.assert_status(200);
    let anonymous = app.thread("pre", None).await;
    let (hits, misses) = cache_counts(&app).await;
    let own = app.thread("pre", Some(&cast.reader.token)).await;
    assert_eq!(cache_counts(&app).await, (hits + 1, misses));
    assert_eq!(
        own.iter().map(without_reacted).collect::<Vec<_>>(),
        anonymous
    );
    assert_eq!(own[0]["reacted"], true);
}

#[tokio::test]
async fn a_reader_with_a_great_many_marks_gets_the_right_ones() {
    use diesel::dsl::sql;
    use diesel::prelude::*;
    use tribune::store::models::NewComment;
    use tribune::store::schema::{articles, comments, reactions};
    let (app, cast) = TestApp::with_cast().await;
    cast.admin.create_article("a2", json!({})).await;
    let first = cast.other.comment_id("a1", "premier").await;
    // 1,001 marks of the reader on comments whose ids fall between this
    // page's first and last: more than one range of the index is read for.
    let reader = cast.reader.id;
    app.db
        .write_now(move |conn| {
            let a2: i64 = articles::table
                .filter(articles::key.eq("a2"))
                .select(articles::id)
                .first(conn)?;
            for n in 0..1_001 {
                let body = format!("ailleurs {n}");
                let row = NewComment {
                    article_id: a2,
                    parent_id: None,
                    author_id: None,
                    body: &body,
                    html: &body,
                    dir: "ltr",
                    status: tribune::domain::CommentStatus::Approved,
                    reasons: tribune::domain::Reasons::default(),
                    depth: 1,
                    dup_key: &body,
                    created_at: 1,
                    word_matches: "[]",
                };
                diesel::insert_into(comments::table)
                    .values(&row)
                    .execute(conn)?;
            }
            let marks = comments::table.filter(comments::article_id.eq(a2)).select((
                comments::id,
                sql::<diesel::sql_types::BigInt>(&reader.to_string()),
                comments::created_at,
            ));
            diesel::insert_into(reactions::table)
                .values(marks)
                .into_columns((
                    reactions::comment_id,
                    reactions::user_id,
                    reactions::created_at,
                ))
                .execute(conn)?;
            Ok::<_, tribune::store::StoreError>(())
        })
        .expect("marks elsewhere");
    let last = cast.other.comment_id("a1", "dernier").await;
    react(&cast.reader, last).await;

    let page = app.thread("a1", Some(&cast.reader.token)).await;
    assert_eq!(ids_of(&page), vec![first, last]);
    assert_eq!(page[0]["reacted"], false);
    assert_eq!(page[1]["reacted"], true);
}
