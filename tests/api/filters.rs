//! The word filters seen through HTTP: the explanation a moderator reads in
//! the queue, and the admin's dry run, `POST /admin/words/test`.

use crate::helpers::*;

use serde_json::{json, Value};

async fn try_text(app: &TestApp, token: Option<&str>, body: Value) -> Resp {
    app.post("/admin/words/test", token, body).await
}

#[tokio::test]
async fn the_queue_says_which_entry_matched_what_was_written_and_the_disguise() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin
        .add_words(&[
            ("Connard", "banned"),
            ("arnaque", "suspect"),
            ("كلب", "banned"),
        ])
        .await;

    let rejected = cast
        .reader
        .comment_id("a1", "Quel c|onnard, celui-là.")
        .await;
    let plural = cast.reader.comment_id("a1", "يا كلاب").await;
    let held = cast.reader.comment_id("a1", "Encore des ARNAQUES").await;
    let plain = cast.reader.comment_id("a1", "Bel article").await;

    let page = cast.moderator.queue("status=rejected").await;
    let item = queue_item(&page, rejected);
    assert_eq!(item["reasons"], json!(["banned_word"]));
    assert_eq!(
        item["word_matches"],
        json!([{"kind": "banned_word", "entry": "Connard", "matched": "c|onnard", "via": ["symbol"]}])
    );
    assert_eq!(
        queue_item(&page, plural)["word_matches"],
        json!([{"kind": "banned_word", "entry": "كلب", "matched": "كلاب", "via": ["broken_plural"]}])
    );
    let page = cast.moderator.queue("status=pending").await;
    let item = queue_item(&page, held);
    assert_eq!(item["reasons"], json!(["suspect_word"]));
    assert_eq!(
        item["word_matches"],
        json!([{"kind": "suspect_word", "entry": "arnaque", "matched": "ARNAQUES", "via": ["inflection"]}])
    );
    // A comment the filters let through carries no match.
    let visible = ids_of(&app.thread("a1", None).await);
    assert_eq!(visible, vec![plain]);
}

#[tokio::test]
async fn an_edit_is_explained_again() {
    let (_app, cast) = TestApp::with_cast().await;
    cast.admin
        .add_word("arnaque", "suspect")
        .await
        .assert_status(201);
    let id = cast.reader.comment_id("a1", "Bonne idée").await;
    let res = cast
        .reader
        .patch(
            &format!("/comments/{id}"),
            json!({"body": "Une a-r-n-a-q-u-e"}),
        )
        .await;
    assert_eq!(res.assert_status(200)["status"], "pending");
    let page = cast.moderator.queue("status=pending").await;
    let item = queue_item(&page, id);
    assert_eq!(item["reasons"], json!(["suspect_word", "edited"]));
    assert_eq!(
        item["word_matches"],
        json!([{"kind": "suspect_word", "entry": "arnaque", "matched": "a-r-n-a-q-u-e", "via": ["symbol"]}])
    );
}

#[tokio::test]
async fn an_admin_tries_a_text_without_posting_it() {
    let (app, cast) = TestApp::with_cast().await;
    cast.admin
        .add_words(&[
            ("connard", "banned"),
            ("arnaque", "suspect"),
            ("حمار", "banned"),
        ])
        .await;
    let admin = Some(cast.admin.token.as_str());

    let res = try_text(&app, admin, json!({"text": "arnaque de ᴄᴏɴɴᴀʀᴅꜱ, ya 7mar"})).await;
    assert_eq!(
        res.assert_status(200),
        &json!({
            "outcome": "reject",
            "matches": [
                {"kind": "banned_word", "entry": "connard", "matched": "ᴄᴏɴɴᴀʀᴅꜱ", "via": ["lookalike", "inflection"]},
                {"kind": "banned_word", "entry": "حمار", "matched": "7mar", "via": ["arabizi"]},
                {"kind": "suspect_word", "entry": "arnaque", "matched": "arnaque", "via": []},
            ]
        })
    );
    let res = try_text(&app, admin, json!({"text": "C'est une arnaque"})).await;
    assert_eq!(res.assert_status(200)["outcome"], "hold");
    let res = try_text(
        &app,
        admin,
        json!({"text": "Une bonne connaissance du canard"}),
    )
    .await;
    assert_eq!(
        res.assert_status(200),
        &json!({"outcome": "pass", "matches": []})
    );
    // Nothing was posted.
    let stats = app.get("/admin/stats", admin).await;
    assert_eq!(stats.assert_status(200)["last_24h"]["comments"], 0);
}

#[tokio::test]
async fn only_admins_try_texts() {
    let (app, cast) = TestApp::with_cast().await;
    let body = json!({"text": "bonjour"});
    try_text(&app, None, body.clone())
        .await
        .assert_error(401, "unauthenticated");
    try_text(&app, Some(&cast.reader.token), body.clone())
        .await
        .assert_error(403, "forbidden");
    // /admin routes are for admins only (api.md), moderators included.
    try_text(&app, Some(&cast.moderator.token), body.clone())
        .await
        .assert_error(403, "forbidden");
    let res = try_text(&app, Some(&cast.admin.token), body).await;
    assert_eq!(
        res.assert_status(200),
        &json!({"outcome": "pass", "matches": []})
    );
}

#[tokio::test]
async fn a_text_to_try_must_be_one_to_five_thousand_characters() {
    let (app, cast) = TestApp::with_cast().await;
    let admin = Some(cast.admin.token.as_str());
    for body in [
        json!({"text": ""}),
        json!({"text": "   \n\t "}),
        json!({"text": "x".repeat(5001)}),
        json!({"text": 5}),
        json!({}),
    ] {
        try_text(&app, admin, body).await.assert_field_error("text");
    }
    try_text(&app, admin, json!({"text": "ok", "post": true}))
        .await
        .assert_field_error("post");
    let res = try_text(&app, admin, json!({"text": "x".repeat(5000)})).await;
    assert_eq!(res.assert_status(200)["outcome"], "pass");
    // The message is localized.
    let res = app
        .send_with(
            reqwest::Method::POST,
            "/admin/words/test",
            admin,
            Some(json!({"text": " "})),
            &[("Accept-Language", "ar")],
        )
        .await;
    res.assert_field_error("text");
    assert_eq!(
        res.body["error"]["fields"]["text"][0],
        "لا يمكن أن يكون النص المراد تجربته فارغا."
    );
}

#[tokio::test]
async fn the_test_route_is_not_a_word_id() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    // Not even DELETE, whose `/admin/words/{id}` the path also fits.
    for method in [
        reqwest::Method::GET,
        reqwest::Method::OPTIONS,
        reqwest::Method::PUT,
        reqwest::Method::DELETE,
    ] {
        let res = admin.send(method, "/admin/words/test", None).await;
        res.assert_error(405, "method_not_allowed");
        assert_eq!(res.header("allow"), Some("POST"));
    }
}
