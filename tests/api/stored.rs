//! A stored value no enum variant has (written by hand, by an older or a
//! newer release) is an error, answered as a 500 `internal` that names
//! nothing of it; never read as a quiet default (a reader, a pending comment).

use crate::helpers::*;
use reqwest::Method;

impl TestApp {
    /// Runs `sql` straight on the database, as a person at a SQL prompt would.
    fn write_sql(&self, sql: String) {
        use diesel::RunQueryDsl;
        self.db
            .write_now(move |conn| {
                diesel::sql_query(sql).execute(conn)?;
                Ok::<_, tribune::store::StoreError>(())
            })
            .expect("the statement ran");
    }
}

#[tokio::test]
async fn an_unknown_stored_role_is_an_error_not_a_reader() {
    let (app, cast) = TestApp::with_cast().await;
    cast.reader.get("/me").await.assert_status(200);
    app.write_sql(format!(
        "UPDATE users SET role = 'overlord' WHERE id = {}",
        cast.reader.id
    ));

    // On PostgreSQL a write from outside the server reaches its remembered
    // sessions with the `NOTIFY` that follows the commit, a moment later.
    let mut res = cast.reader.get("/me").await;
    for _ in 0..40 {
        if res.status != 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        res = cast.reader.get("/me").await;
    }

    res.assert_error(500, "internal");
    assert!(!res.body.to_string().contains("overlord"), "{}", res.body);
}

#[tokio::test]
async fn an_unknown_stored_status_is_an_error_not_pending() {
    let (app, cast) = TestApp::with_cast().await;
    let id = cast.reader.comment_id("a1", "Un avis").await;
    assert_eq!(app.thread("a1", None).await.len(), 1);
    app.write_sql(format!(
        "UPDATE comments SET status = 'limbo' WHERE id = {id}"
    ));

    // Moderators read an account's recent comments whatever their status.
    let res = cast
        .moderator
        .get(&format!("/mod/users/{}", cast.reader.id))
        .await;

    res.assert_error(500, "internal");
    assert!(!res.body.to_string().contains("limbo"), "{}", res.body);
    // A decision reads the row too: it fails rather than act on a guess.
    cast.moderator
        .send(Method::POST, &format!("/mod/comments/{id}/approve"), None)
        .await
        .assert_error(500, "internal");
}
