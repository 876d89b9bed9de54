//! Accounts signed in through the API, each a client with one method per
//! thing its role does: `reader.comment(..)`, `moderator.approve(..)`,
//! `admin.add_word(..)`.

use super::app::TestApp;
use super::request::{Api, Body, Resp};
use super::PASSWORD;
use reqwest::Method;
use serde_json::{json, Value};
use tribune::domain::{DisplayName, Email, Role, Username};
use tribune::i18n::Locale;
use tribune::service::accounts::{self, NewAccount};

/// An account signed in through the API, talking to the server it signed in on.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub token: String,
    api: Api,
}

/// The standard cast: an admin, a moderator, two readers and an article `a1`.
pub struct Cast {
    pub admin: User,
    pub moderator: User,
    pub reader: User,
    pub other: User,
}

impl TestApp {
    /// Registers a reader named `name` (email `<name>@example.com`).
    pub async fn register(&self, name: &str) -> User {
        let res = self
            .post(
                "/auth/register",
                None,
                json!({"username": name, "email": format!("{name}@example.com"), "password": PASSWORD}),
            )
            .await;
        let body = res.assert_status(201);
        self.user(body["user"]["id"].as_i64().unwrap(), name, &body["token"])
    }

    /// An admin created as `tribune create-admin` does, then signed in over HTTP.
    pub async fn admin(&self) -> User {
        self.admin_named("chef").await
    }

    pub async fn admin_named(&self, name: &str) -> User {
        let hasher = tribune::auth::Hasher::new(&self.config.auth).unwrap();
        let account = NewAccount {
            username: Username::parse(name).expect("a valid username"),
            email: Email::parse(&format!("{name}@example.com")).expect("a valid email"),
            display_name: DisplayName::parse(name).expect("a valid name"),
            locale: Locale::Fr,
            password_hash: hasher.hash_now(PASSWORD).unwrap(),
        };
        let user = self
            .db
            .write_now(|conn| accounts::create(conn, &account, Role::Admin))
            .expect("create admin");
        self.login(name, user.id).await
    }

    pub async fn login(&self, name: &str, id: i64) -> User {
        let res = self
            .post(
                "/auth/login",
                None,
                json!({"login": name, "password": PASSWORD}),
            )
            .await;
        let body = res.assert_status(200);
        self.user(id, name, &body["token"])
    }

    fn user(&self, id: i64, name: &str, token: &Value) -> User {
        User {
            id,
            username: name.to_string(),
            token: token.as_str().expect("token").to_string(),
            api: self.api().clone(),
        }
    }

    /// A reader promoted to moderator by `admin`.
    pub async fn moderator(&self, admin: &User, name: &str) -> User {
        let user = self.register(name).await;
        admin
            .set_role(user.id, "moderator")
            .await
            .assert_status(200);
        user
    }

    /// An article created by `admin`, with `extra` fields beside its key and title.
    pub async fn create_article(&self, admin: &User, key: &str, extra: Value) -> Value {
        admin.create_article(key, extra).await
    }

    pub async fn cast(&self) -> Cast {
        let admin = self.admin().await;
        let moderator = self.moderator(&admin, "modo").await;
        let reader = self.register("nadia").await;
        let other = self.register("karim").await;
        admin.create_article("a1", json!({})).await;
        Cast {
            admin,
            moderator,
            reader,
            other,
        }
    }
}

impl User {
    /// The same account talking to another server (an instance beside it).
    pub fn on(&self, app: &TestApp) -> User {
        User {
            api: app.api().clone(),
            ..self.clone()
        }
    }

    // --- Any signed-in caller -------------------------------------------

    pub async fn send(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        self.send_with(method, path, body, &[]).await
    }

    /// A JSON request (or none) with extra headers.
    pub async fn send_with(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> Resp {
        let token = Some(self.token.as_str());
        self.api
            .send(method, path, token, body.into(), headers)
            .await
    }

    /// A request with a raw body and a content type.
    pub async fn send_raw(
        &self,
        method: Method,
        path: &str,
        content_type: Option<&str>,
        bytes: Vec<u8>,
    ) -> Resp {
        let body = Body::raw(content_type, bytes);
        let token = Some(self.token.as_str());
        self.api.send(method, path, token, body, &[]).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.send(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.send(Method::POST, path, Some(body)).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Resp {
        self.send(Method::PATCH, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.send(Method::DELETE, path, None).await
    }

    /// GET /me, which must answer 200.
    pub async fn me(&self) -> Value {
        self.get("/me").await.assert_status(200).clone()
    }

    // --- Reader ---------------------------------------------------------

    /// Posts a comment on article `key` and returns the answer.
    pub async fn comment(&self, key: &str, text: &str) -> Resp {
        let path = format!("/articles/{key}/comments");
        self.post(&path, json!({ "body": text })).await
    }

    /// Posts a comment asking for the answer in `lang` (`Accept-Language`).
    pub async fn comment_in(&self, lang: &str, key: &str, text: &str) -> Resp {
        let path = format!("/articles/{key}/comments");
        let body = Some(json!({ "body": text }));
        let headers = [("Accept-Language", lang)];
        self.send_with(Method::POST, &path, body, &headers).await
    }

    /// Posts a comment that must be accepted; returns its id.
    pub async fn comment_id(&self, key: &str, text: &str) -> i64 {
        self.comment(key, text).await.assert_status(201)["id"]
            .as_i64()
            .expect("comment id")
    }

    pub async fn reply(&self, key: &str, parent: i64, text: &str) -> Resp {
        let path = format!("/articles/{key}/comments");
        self.post(&path, json!({ "body": text, "parent_id": parent }))
            .await
    }

    /// Reports comment `id` for `reason`.
    pub async fn report(&self, id: i64, reason: &str) -> Resp {
        let path = format!("/comments/{id}/reports");
        self.post(&path, json!({ "reason": reason })).await
    }

    // --- Moderator ------------------------------------------------------

    /// A decision on a comment: approve, reject, delete or restore.
    pub async fn decide(&self, id: i64, action: &str, reason: Option<&str>) -> Resp {
        let body = reason.map(|r| json!({ "reason": r }));
        let path = format!("/mod/comments/{id}/{action}");
        self.send(Method::POST, &path, body).await
    }

    pub async fn approve(&self, id: i64) -> Resp {
        self.decide(id, "approve", None).await
    }

    pub async fn reject(&self, id: i64) -> Resp {
        self.decide(id, "reject", None).await
    }

    pub async fn ban(&self, user_id: i64, body: Value) -> Resp {
        self.post(&format!("/mod/users/{user_id}/ban"), body).await
    }

    pub async fn unban(&self, user_id: i64) -> Resp {
        let path = format!("/mod/users/{user_id}/unban");
        self.send(Method::POST, &path, None).await
    }

    /// A page of the moderation queue (`query` without the leading `?`).
    pub async fn queue(&self, query: &str) -> Value {
        self.get(&format!("/mod/queue?{query}"))
            .await
            .assert_status(200)
            .clone()
    }

    /// The moderation log, newest first (up to 200 entries).
    pub async fn log_entries(&self) -> Vec<Value> {
        self.get("/mod/log?limit=200").await.assert_status(200)["entries"]
            .as_array()
            .expect("entries")
            .clone()
    }

    /// The status of comment `id` as staff sees it.
    pub async fn status_of(&self, id: i64) -> String {
        self.get(&format!("/comments/{id}"))
            .await
            .assert_status(200)["status"]
            .as_str()
            .expect("status")
            .to_string()
    }

    // --- Admin ----------------------------------------------------------

    /// Creates article `key` with `extra` fields beside its key and title.
    pub async fn create_article(&self, key: &str, extra: Value) -> Value {
        let mut body = json!({"key": key, "title": format!("Article {key}")});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        self.post("/admin/articles", body)
            .await
            .assert_status(201)
            .clone()
    }

    /// Gives account `user_id` the role `role` (reader, moderator, admin).
    pub async fn set_role(&self, user_id: i64, role: &str) -> Resp {
        let path = format!("/admin/users/{user_id}");
        self.patch(&path, json!({ "role": role })).await
    }

    /// Creates article `key`, pre-moderated: readers' comments wait for a moderator.
    pub async fn create_premoderated(&self, key: &str) -> Value {
        self.create_article(key, json!({ "moderation": "pre" }))
            .await
    }

    /// Adds word-list entries, each of which must be accepted.
    pub async fn add_words(&self, entries: &[(&str, &str)]) {
        for (pattern, kind) in entries {
            self.add_word(pattern, kind).await.assert_status(201);
        }
    }

    /// Adds a word-list entry.
    pub async fn add_word(&self, pattern: &str, kind: &str) -> Resp {
        let body = json!({ "pattern": pattern, "kind": kind });
        self.post("/admin/words", body).await
    }
}
