//! `tribune import` and `tribune export` as an operator runs them: the real
//! binary on a fresh database (SQLite, or PostgreSQL when
//! TRIBUNE_TEST_DATABASE_URL names a server), fixtures written for these
//! tests in tests/data/import/, and the database read back.

#[path = "support/database.rs"]
mod database;

use database::fresh_database_url;
use diesel::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};
use tribune::config::DatabaseConfig;
use tribune::store::schema::{articles, comments, import_pending, imported_users, users};
use tribune::store::{Db, DbConnection};

/// (id, parent, article, depth, status, author) of a stored comment.
type CommentFacts = (i64, Option<i64>, i64, i32, String, Option<i64>);
/// (article key, created_at, body, status, parent's body, author's username).
type Moved = (String, String, String, String, String, String);

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/import")
        .join(name)
}

/// A Tribune of its own: a temporary folder and a fresh database.
struct Site {
    dir: tempfile::TempDir,
    url: String,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().unwrap();
        let url = fresh_database_url(dir.path());
        let site = Site { dir, url };
        let out = site.tribune(&["migrate"]);
        assert!(out.status.success(), "{}", stderr(&out));
        site
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tribune"));
        cmd.current_dir(self.dir.path())
            .args(args)
            .env("TRIBUNE_DATABASE__URL", &self.url)
            .env("TRIBUNE_AUTH__ARGON2_MEMORY_KIB", "64")
            .env("TRIBUNE_AUTH__ARGON2_ITERATIONS", "1")
            .env("TRIBUNE_ADMIN_PASSWORD", "a long password")
            .env_remove("RUST_LOG")
            .stdin(Stdio::null());
        cmd
    }

    fn tribune(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    /// Imports and expects success; gives the summary.
    #[track_caller]
    fn import(&self, format: &str, path: &Path, extra: &[&str]) -> String {
        let mut args = vec!["import", "--format", format, path.to_str().unwrap()];
        args.extend_from_slice(extra);
        let out = self.tribune(&args);
        assert!(
            out.status.success(),
            "import failed: {}\n{}",
            stderr(&out),
            stdout(&out)
        );
        stdout(&out)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Everything, through `tribune export`: (header, records).
    fn export(&self) -> Export {
        let path = self.path(&format!("export-{}.jsonl", rand::random::<u32>()));
        let out = self.tribune(&["export", path.to_str().unwrap()]);
        assert!(out.status.success(), "{}", stderr(&out));
        Export::read(&path)
    }

    fn conn(&self) -> DbConnection {
        Db::open(&DatabaseConfig {
            url: self.url.clone(),
            pool_size: 1,
            connect_timeout: 5,
            synchronous: tribune::config::Synchronous::Normal,
            sqlite_cache_kib: 2048,
            sqlite_writer_cache_kib: 2048,
        })
        .unwrap()
        .job_connection()
        .unwrap()
    }

    /// Every comment's (id, parent) and each article's and author's counters
    /// agree with the rows; no reply waits for a parent.
    #[track_caller]
    fn assert_consistent(&self) {
        let mut c = self.conn();
        let rows: Vec<CommentFacts> = comments::table
            .select((
                comments::id,
                comments::parent_id,
                comments::article_id,
                comments::depth,
                comments::status,
                comments::author_id,
            ))
            .load(&mut c)
            .unwrap();
        let by_id: BTreeMap<i64, (Option<i64>, i64, i32)> = rows
            .iter()
            .map(|(id, p, a, d, _, _)| (*id, (*p, *a, *d)))
            .collect();
        for (id, parent, article, depth, _, _) in &rows {
            match parent {
                None => assert_eq!(*depth, 1, "comment {id}"),
                Some(p) => {
                    let (_, pa, pd) = by_id.get(p).unwrap_or_else(|| panic!("{id}: orphan"));
                    assert_eq!(pa, article, "comment {id} and its parent in one thread");
                    assert_eq!(*depth, pd + 1, "comment {id}'s depth");
                }
            }
        }
        let counts: Vec<(i64, i64)> = articles::table
            .select((articles::id, articles::approved_count))
            .load(&mut c)
            .unwrap();
        for (article, count) in counts {
            let real = rows
                .iter()
                .filter(|r| r.2 == article && r.4 == "approved")
                .count() as i64;
            assert_eq!(count, real, "article {article}'s approved count");
        }
        let counters: Vec<(i64, i64, i64)> = users::table
            .select((users::id, users::approved_count, users::rejected_count))
            .load(&mut c)
            .unwrap();
        for (user, approved, rejected) in counters {
            let real = |s: &str| {
                rows.iter()
                    .filter(|r| r.5 == Some(user) && r.4 == s)
                    .count() as i64
            };
            assert_eq!(
                (approved, rejected),
                (real("approved"), real("rejected")),
                "user {user}'s counters"
            );
        }
        let waiting: i64 = import_pending::table.count().get_result(&mut c).unwrap();
        assert_eq!(waiting, 0, "replies still waiting for a parent");
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// An export, parsed.
#[derive(Debug, Clone)]
struct Export {
    header: Value,
    articles: Vec<Value>,
    users: Vec<Value>,
    comments: Vec<Value>,
}

impl Export {
    fn read(path: &Path) -> Export {
        let text = std::fs::read_to_string(path).unwrap();
        let mut lines = text.lines();
        let header: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
        let mut e = Export {
            header,
            articles: vec![],
            users: vec![],
            comments: vec![],
        };
        for line in lines {
            let v: Value = serde_json::from_str(line).unwrap();
            match v["type"].as_str().unwrap() {
                "article" => e.articles.push(v),
                "user" => e.users.push(v),
                "comment" => e.comments.push(v),
                t => panic!("unknown record type {t}"),
            }
        }
        e
    }

    fn article(&self, key: &str) -> &Value {
        self.articles
            .iter()
            .find(|a| a["key"] == key)
            .unwrap_or_else(|| panic!("no article {key}: {:?}", self.keys()))
    }

    fn keys(&self) -> BTreeSet<String> {
        self.articles
            .iter()
            .map(|a| a["key"].as_str().unwrap().to_string())
            .collect()
    }

    /// The comment whose body contains `text`.
    fn comment(&self, text: &str) -> &Value {
        let found: Vec<&Value> = self
            .comments
            .iter()
            .filter(|c| c["body"].as_str().unwrap().contains(text))
            .collect();
        assert_eq!(found.len(), 1, "comments containing {text:?}: {found:?}");
        found[0]
    }

    fn user(&self, id: &Value) -> &Value {
        self.users.iter().find(|u| &u["id"] == id).unwrap()
    }

    fn user_named(&self, username: &str) -> &Value {
        self.users
            .iter()
            .find(|u| u["username"] == username)
            .unwrap_or_else(|| panic!("no user {username}: {:?}", self.users))
    }

    /// What must survive a move, with ids replaced by what they name:
    /// (article key, created_at, body, status, parent's body, author's username).
    fn content(&self) -> BTreeSet<Moved> {
        let key = |id: &Value| {
            self.articles.iter().find(|a| &a["id"] == id).unwrap()["key"]
                .as_str()
                .unwrap()
                .to_string()
        };
        self.comments
            .iter()
            .map(|c| {
                let parent = self
                    .comments
                    .iter()
                    .find(|p| p["id"] == c["parent"])
                    .map(|p| p["body"].as_str().unwrap().to_string())
                    .unwrap_or_default();
                let author = if c["author"].is_null() {
                    String::new()
                } else {
                    self.user(&c["author"])["username"]
                        .as_str()
                        .unwrap()
                        .to_string()
                };
                (
                    key(&c["article"]),
                    c["created_at"].as_str().unwrap().to_string(),
                    c["body"].as_str().unwrap().to_string(),
                    c["status"].as_str().unwrap().to_string(),
                    parent,
                    author,
                )
            })
            .collect()
    }
}

fn html_of(site: &Site, id: &Value) -> String {
    let mut c = site.conn();
    comments::table
        .find(id.as_i64().unwrap())
        .select(comments::html)
        .first(&mut c)
        .unwrap()
}

#[test]
fn disqus_export_keeps_threads_trees_statuses_bodies_and_authors() {
    let site = Site::new();
    let out = site.tribune(&[
        "create-admin",
        "--username",
        "Alice",
        "--email",
        "alice@journal.example",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));

    let summary = site.import(
        "disqus",
        &fixture("disqus.xml"),
        &[
            "--rewrite-url",
            "http://old.journal.example=https://journal.example",
        ],
    );

    assert!(summary.contains("read: 5 threads, 9 comments"), "{summary}");
    assert!(
        summary.contains("created: 4 articles, 8 comments, 8 users"),
        "{summary}"
    );
    assert!(summary.contains("1 deleted without replies"), "{summary}");
    assert!(summary.contains("comments skipped: 1\n"), "{summary}");
    assert!(
        summary.contains("\"alice\" → alice-2 (already taken)"),
        "{summary}"
    );
    assert!(
        summary.contains("\"Marie Curie\" → Marie_Curie"),
        "{summary}"
    );
    let e = site.export();
    // Keys: the identifier; the path when <id> is empty; the query string tells pages apart.
    let keys = e.keys();
    assert!(keys.contains("politique-municipales-2024"), "{keys:?}");
    assert!(keys.contains("article.php-id-42"), "{keys:?}");
    assert!(keys.contains("article.php-id-43"), "{keys:?}");
    assert!(
        !keys.iter().any(|k| k.contains("sans-commentaire")),
        "{keys:?}"
    );
    assert_eq!(keys.len(), 4);
    let arabic_key = keys.iter().find(|k| k.starts_with("monde-")).unwrap();
    let a = e.article("politique-municipales-2024");
    assert_eq!(a["title"], "Municipales : les résultats");
    assert_eq!(
        a["url"],
        "https://journal.example/politique/municipales-2024/"
    );
    assert_eq!(a["created_at"], "2019-03-01T08:00:00.000Z");
    assert_eq!(a["comments_open"], true);
    assert_eq!(e.article(arabic_key)["comments_open"], false);
    assert_eq!(e.article(arabic_key)["title"], "القدس : ما الذي تغيّر");

    // Bodies: entities decoded, Markdown in storage, rendered like a posted comment.
    let first = e.comment("Bravo");
    assert_eq!(
        first["body"],
        "C'est l’été à la mairie\u{a0}! **Bravo** \\& merci.\n\nDeuxième paragraphe avec [un lien](http://old.journal.example/x)."
    );
    assert_eq!(first["created_at"], "2019-03-01T09:15:30.000Z");
    assert_eq!(first["status"], "approved");
    let html = html_of(&site, &first["id"]);
    assert!(html.starts_with("<p>C'est l’été à la mairie"), "{html}");
    assert!(
        html.contains("<strong>Bravo</strong> &amp; merci.</p>"),
        "{html}"
    );
    assert!(
        html.contains(
            "<a href=\"http://old.journal.example/x\" rel=\"nofollow ugc noopener\">un lien</a>"
        ),
        "{html}"
    );
    let arabic = e.comment("بالعربية");
    assert_eq!(arabic["body"], "مرحبا «القدس» — تعليق *بالعربية* \\& رموز.");
    assert_eq!(
        html_of(&site, &arabic["id"]),
        "<p>مرحبا «القدس» — تعليق <em>بالعربية</em> &amp; رموز.</p>"
    );

    // The tree: a child read before its parent is linked when the parent arrives.
    let question = e.comment("La question");
    let answer = e.comment("Je réponds");
    assert_eq!(question["parent"], first["id"]);
    assert_eq!(answer["parent"], question["id"]);
    // A deleted parent with a live reply stays as a tombstone; one without goes.
    let tombstone = e.comment("Message retiré");
    assert_eq!(tombstone["status"], "deleted");
    assert_eq!(arabic["parent"], tombstone["id"]);
    assert!(!e
        .comments
        .iter()
        .any(|c| c["body"].as_str().unwrap().contains("Oublié")));
    // Spam is rejected, not published.
    assert_eq!(e.comment("Achetez")["status"], "rejected");
    assert_eq!(e.comments.len(), 8);

    // Authors: one account per source identity (a registered author's
    // username, else name and e-mail), never joined by an unverified
    // address; the first to give an address gets it, case aside.
    let marie = e.user(&first["author"]);
    assert_eq!(marie["username"], "Marie_Curie");
    assert_eq!(marie["display_name"], "Marie Curie");
    assert_eq!(marie["email"], "marie.curie@example.com");
    assert_eq!(marie["imported"], true);
    let initial = e.user(&e.comment("article 43")["author"]);
    assert_ne!(e.comment("article 43")["author"], first["author"]);
    assert_eq!(initial["display_name"], "M. Curie");
    assert!(initial["email"].is_null());
    assert_eq!(question["author"], answer["author"]);
    assert_eq!(e.user(&question["author"])["username"], "Jean_Dupont");
    assert!(e.user(&question["author"])["email"].is_null());
    assert_eq!(e.user(&arabic["author"])["username"], "أمينة");
    // A name with a direction override is refused and cleaned.
    assert_eq!(
        e.user(&e.comment("Achetez")["author"])["username"],
        "Botgnp.exe"
    );
    // A name a local account has gets a numbered variant; the local account is untouched.
    let other = e.user(&e.comment("autre Alice")["author"]);
    assert_eq!(other["username"], "alice-2");
    assert_eq!(e.user_named("Alice")["imported"], false);
    // "Amina", who shares أمينة's address, is an account of her own.
    assert_eq!(e.user_named("Amina")["display_name"], "Amina");
    assert!(e.user_named("Amina")["email"].is_null());
    assert_eq!(e.user(&arabic["author"])["email"], "amina@example.org");
    assert_eq!(e.users.len(), 9);

    // Imported accounts cannot sign in: no password, marked imported.
    let mut c = site.conn();
    let hashes: Vec<String> = users::table
        .inner_join(imported_users::table)
        .select(users::password_hash)
        .load(&mut c)
        .unwrap();
    assert_eq!(hashes, vec!["!"; 8]);
    let approved: i64 = users::table
        .filter(users::email.eq("marie.curie@example.com"))
        .select(users::approved_count)
        .first(&mut c)
        .unwrap();
    assert_eq!(approved, 1);
    site.assert_consistent();
}

#[test]
fn wordpress_export_keeps_line_breaks_and_skips_pingbacks() {
    let site = Site::new();
    let summary = site.import("wordpress", &fixture("wordpress.xml"), &[]);
    assert!(summary.contains("read: 2 threads, 8 comments"), "{summary}");
    assert!(
        summary.contains("created: 2 articles, 6 comments, 4 users"),
        "{summary}"
    );
    assert!(summary.contains("1 pingback"), "{summary}");
    assert!(summary.contains("names changed: 0"), "{summary}");

    let e = site.export();
    assert_eq!(
        e.keys(),
        BTreeSet::from(["budget-2021".to_string(), "p-13".to_string()])
    );
    assert_eq!(e.article("p-13")["comments_open"], false);
    assert_eq!(
        e.article("budget-2021")["created_at"],
        "2021-01-01T10:00:00.000Z"
    );
    let reply = e.comment("D'accord");
    assert_eq!(
        reply["body"],
        "D'accord avec vous.  \nDeuxième ligne \\& fin.\n\nNouveau paragraphe avec **du gras**."
    );
    assert_eq!(
        html_of(&site, &reply["id"]),
        "<p>D'accord avec vous.<br>\nDeuxième ligne &amp; fin.</p>\n<p>Nouveau paragraphe avec <strong>du gras</strong>.</p>"
    );
    let parent = e.comment("impôts");
    assert_eq!(parent["body"], "Les impôts évoluent encore… « vraiment » ?");
    assert_eq!(reply["parent"], parent["id"]);
    assert_eq!(parent["created_at"], "2021-01-01T11:30:00.000Z");
    assert_eq!(e.user(&parent["author"])["username"], "Élodie");
    assert_eq!(e.comment("Gagnez")["status"], "rejected");
    assert_eq!(e.comment("modération")["status"], "pending");
    let trashed = e.comment("تمّ حذف");
    assert_eq!(trashed["status"], "deleted");
    assert_eq!(e.comment("رد حي")["parent"], trashed["id"]);
    assert_eq!(e.comment("رد حي")["body"], "رد حي \\& باقٍ.");
    assert!(!e
        .comments
        .iter()
        .any(|c| c["body"].as_str().unwrap().contains("بلا ردود")));
    // One account per name without e-mail, one per e-mail.
    assert_eq!(e.comment("رد حي")["author"], trashed["author"]);
    assert_eq!(e.comment("modération")["author"], reply["author"]);
    site.assert_consistent();
}

#[test]
fn wordpress_wxr_1_0_is_read() {
    let site = Site::new();
    let summary = site.import("wordpress", &fixture("wordpress-1.0.xml"), &[]);
    assert!(
        summary.contains("created: 1 articles, 1 comments, 1 users"),
        "{summary}"
    );
    let e = site.export();
    assert_eq!(
        e.comment("Premier")["created_at"],
        "2008-05-01T09:00:00.000Z"
    );
    assert_eq!(
        e.article("ancien")["url"],
        "http://blog.example/2008/05/ancien/"
    );
}

/// An Isso database with Isso's tables, written here (the real one, made by
/// Isso itself, is tested by `a_real_isso_database_is_imported`).
fn isso_database(path: &Path) {
    let mut c = diesel::SqliteConnection::establish(path.to_str().unwrap()).unwrap();
    use diesel::connection::SimpleConnection;
    c.batch_execute(
        "CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
         CREATE TABLE comments (tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER,
             created FLOAT NOT NULL, modified FLOAT, mode INTEGER, remote_addr VARCHAR, text VARCHAR,
             author VARCHAR, email VARCHAR, website VARCHAR, likes INTEGER DEFAULT 0,
             dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL, notification INTEGER DEFAULT 0);
         INSERT INTO threads VALUES (1, '/blog/premier-billet/', 'Premier billet');
         INSERT INTO threads VALUES (2, '/recherche?q=isso&page=2', NULL);
         INSERT INTO comments VALUES (1, 3, 2, 1600000300.25, NULL, 1, '', 'Je réponds *avant*.', 'Nadia', NULL, NULL, 0, 0, x'', 0);
         INSERT INTO comments VALUES (1, 2, NULL, 1600000100.5, NULL, 4, '', '', NULL, NULL, NULL, 0, 0, x'', 0);
         INSERT INTO comments VALUES (1, 4, NULL, 1600000400, 1600000450.5, 2, '', 'En attente &amp; **gras**', 'Nadia', NULL, NULL, 0, 0, x'', 0);
         INSERT INTO comments VALUES (2, 5, NULL, 1600000500, NULL, 1, '', 'سؤال عن &laquo;البحث&raquo;', NULL, 'anon@example.org', NULL, 0, 0, x'', 0);
         INSERT INTO comments VALUES (2, 6, NULL, 1600000600, NULL, 1, '', '   ', 'Vide', NULL, NULL, 0, 0, x'', 0);",
    )
    .unwrap();
}

#[test]
fn isso_database_keeps_markdown_times_and_tombstones() {
    let site = Site::new();
    let db = site.path("comments.db");
    isso_database(&db);
    let summary = site.import("isso", &db, &["--rewrite-url", "/=https://blog.example/"]);
    assert!(summary.contains("read: 2 threads, 5 comments"), "{summary}");
    assert!(
        summary.contains("created: 2 articles, 4 comments, 2 users"),
        "{summary}"
    );
    assert!(summary.contains("1 empty text"), "{summary}");
    let e = site.export();
    assert_eq!(
        e.keys(),
        BTreeSet::from([
            "blog-premier-billet".to_string(),
            "recherche-q-isso-page-2".to_string()
        ])
    );
    assert_eq!(
        e.article("blog-premier-billet")["url"],
        "https://blog.example/blog/premier-billet/"
    );
    assert_eq!(
        e.article("recherche-q-isso-page-2")["title"],
        "recherche-q-isso-page-2"
    );
    let reply = e.comment("Je réponds");
    assert_eq!(reply["created_at"], "2020-09-13T12:31:40.250Z");
    let tombstone = e
        .comments
        .iter()
        .find(|c| c["status"] == "deleted")
        .unwrap();
    assert_eq!(reply["parent"], tombstone["id"]);
    assert_eq!(tombstone["created_at"], "2020-09-13T12:28:20.500Z");
    assert!(tombstone["author"].is_null());
    let pending = e.comment("En attente");
    assert_eq!(pending["status"], "pending");
    assert_eq!(pending["edited_at"], "2020-09-13T12:34:10.500Z");
    assert_eq!(
        html_of(&site, &pending["id"]),
        "<p>En attente &amp; <strong>gras</strong></p>"
    );
    // No name, an e-mail: an account all the same.
    let anon = e.user(&e.comment("سؤال")["author"]);
    assert_eq!(anon["username"], "lecteur");
    assert_eq!(anon["email"], "anon@example.org");
    site.assert_consistent();
}

/// Made by .ci/import.sh: Isso itself, its comments posted through its HTTP API.
#[test]
#[ignore = "needs a database written by Isso itself: .ci/import.sh makes one"]
fn a_real_isso_database_is_imported() {
    let path = std::env::var("TRIBUNE_ISSO_DB")
        .expect("TRIBUNE_ISSO_DB names the Isso database .ci/import.sh made");
    let site = Site::new();
    let summary = site.import("isso", Path::new(&path), &[]);
    assert!(summary.contains("read: 2 threads, 6 comments"), "{summary}");
    let e = site.export();
    assert_eq!(
        e.keys(),
        BTreeSet::from(["fr-premier-article".to_string(), "ar-maqal".to_string()])
    );
    // Posted through Isso's API: a French comment, a reply, an edit, an Arabic one,
    // a deleted comment with a reply (Isso keeps it as mode 4), one deleted alone.
    let fr = e.comment("Bonjour");
    assert_eq!(fr["status"], "approved");
    assert!(
        html_of(&site, &fr["id"]).contains("<strong>gras</strong>"),
        "{}",
        html_of(&site, &fr["id"])
    );
    assert_eq!(e.comment("Réponse à")["parent"], fr["id"]);
    assert!(e.comment("modifié").is_object());
    let ar = e.comment("مرحبا");
    assert_eq!(e.user(&ar["author"])["display_name"], "سارة");
    let tombstone = e
        .comments
        .iter()
        .find(|c| c["status"] == "deleted")
        .unwrap();
    assert_eq!(e.comment("sous un supprimé")["parent"], tombstone["id"]);
    assert!(!e
        .comments
        .iter()
        .any(|c| c["body"].as_str().unwrap().contains("Supprimé seul")));
    assert_eq!(e.comments.len(), 6);
    site.assert_consistent();
}

#[test]
fn importing_twice_adds_nothing_and_a_dry_run_writes_nothing() {
    let site = Site::new();
    let dry = {
        let out = site.tribune(&[
            "import",
            "--format",
            "disqus",
            fixture("disqus.xml").to_str().unwrap(),
            "--dry-run",
        ]);
        assert!(out.status.success(), "{}", stderr(&out));
        stdout(&out)
    };
    assert!(
        dry.contains(
            "would be created (dry run: nothing written): 4 articles, 8 comments, 8 users"
        ),
        "{dry}"
    );
    let e = site.export();
    assert_eq!(
        (e.articles.len(), e.users.len(), e.comments.len()),
        (0, 0, 0)
    );

    site.import("disqus", &fixture("disqus.xml"), &[]);
    let once = site.export();
    let again = site.import("disqus", &fixture("disqus.xml"), &[]);
    assert!(
        again.contains("created: 0 articles, 0 comments, 0 users"),
        "{again}"
    );
    assert!(
        again.contains("already imported by an earlier run: 9 comments"),
        "{again}"
    );
    let twice = site.export();
    assert_eq!(once.comments, twice.comments);
    assert_eq!(once.users, twice.users);
    assert_eq!(once.articles.len(), twice.articles.len());
    site.assert_consistent();
}

#[test]
fn status_mapping_and_keys_can_be_overridden() {
    let site = Site::new();
    site.import(
        "disqus",
        &fixture("disqus.xml"),
        &[
            "--as-status",
            "valid=pending",
            "--as-status",
            "spam=skip",
            "--key-from",
            "url",
        ],
    );
    let e = site.export();
    assert!(
        e.keys()
            .contains("old.journal.example-politique-municipales-2024"),
        "{:?}",
        e.keys()
    );
    assert_eq!(e.comment("Bravo")["status"], "pending");
    assert!(!e
        .comments
        .iter()
        .any(|c| c["body"].as_str().unwrap().contains("Achetez")));
    site.assert_consistent();

    let out = site.tribune(&[
        "import",
        "--format",
        "disqus",
        "x.xml",
        "--as-status",
        "valid",
    ]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("expected CLASS=STATUS"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn export_then_import_elsewhere_gives_the_same_site() {
    let first = Site::new();
    first.import("disqus", &fixture("disqus.xml"), &[]);
    first.import("wordpress", &fixture("wordpress.xml"), &[]);
    let before = first.export();
    assert_eq!(before.header["format"], "tribune");
    assert_eq!(before.header["version"], 1);
    assert_eq!(before.header["comments"], before.comments.len());
    let file = first.path("site.jsonl");
    let out = first.tribune(&["export", file.to_str().unwrap()]);
    assert!(out.status.success());

    let second = Site::new();
    let summary = second.import("tribune", &file, &[]);
    assert!(summary.contains("names changed: 0"), "{summary}");
    let after = second.export();
    assert_eq!(before.content(), after.content());
    let articles = |e: &Export| -> BTreeSet<String> {
        e.articles
            .iter()
            .map(|a| {
                format!(
                    "{} {} {} {} {}",
                    a["key"], a["title"], a["url"], a["comments_open"], a["created_at"]
                )
            })
            .collect()
    };
    assert_eq!(articles(&before), articles(&after));
    let users = |e: &Export| -> BTreeSet<String> {
        e.users
            .iter()
            .map(|u| format!("{} {} {}", u["username"], u["display_name"], u["email"]))
            .collect()
    };
    assert_eq!(users(&before), users(&after));
    second.assert_consistent();
    // And once more: nothing added.
    let again = second.import("tribune", &file, &[]);
    assert!(
        again.contains("created: 0 articles, 0 comments, 0 users"),
        "{again}"
    );
}

/// A Disqus export of `threads` × `per_thread` comments; in each thread the
/// last comment answers the first, and every fifth answers the one after it.
fn big_disqus(path: &Path, threads: usize, per_thread: usize) {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(f, "<?xml version=\"1.0\"?>\n<disqus xmlns=\"http://disqus.com\" xmlns:dsq=\"http://disqus.com/disqus-internals\">").unwrap();
    for t in 0..threads {
        writeln!(f, "<thread dsq:id=\"t{t}\"><id>article-{t}</id><link>https://e.example/a/{t}</link><title>Article {t}</title><createdAt>2020-01-01T00:00:00Z</createdAt></thread>").unwrap();
    }
    for t in 0..threads {
        for i in 0..per_thread {
            let parent = if i == per_thread - 1 {
                format!("<parent dsq:id=\"p{t}-0\"/>")
            } else if i % 5 == 0 {
                format!("<parent dsq:id=\"p{t}-{}\"/>", i + 1)
            } else {
                String::new()
            };
            writeln!(
                f,
                "<post dsq:id=\"p{t}-{i}\"><id/><message><![CDATA[<p>Commentaire {i} sur l&rsquo;article {t}</p>]]></message><createdAt>2020-01-02T00:{:02}:{:02}Z</createdAt><isDeleted>false</isDeleted><isSpam>{}</isSpam><author><email>r{}@example.com</email><name>Lecteur {}</name></author><thread dsq:id=\"t{t}\"/>{parent}</post>",
                (i / 60) % 60,
                i % 60,
                i % 17 == 3,
                i % 40,
                i % 40
            )
            .unwrap();
        }
    }
    writeln!(f, "</disqus>").unwrap();
}

fn comment_count(site: &Site) -> i64 {
    count_comments(&mut site.conn())
}

fn count_comments(conn: &mut DbConnection) -> i64 {
    comments::table.count().get_result(conn).unwrap()
}

#[test]
fn killed_mid_import_then_run_again_finishes_without_duplicates_or_orphans() {
    let site = Site::new();
    let file = site.path("big.xml");
    // Large enough that the import is still running when the first 1,000
    // comments are seen (it reads tens of thousands a second).
    let (threads, per_thread) = (100, 400);
    big_disqus(&file, threads, per_thread);
    // Opened before the import starts: opening the database again while it
    // runs would wait for a gap between its batches (opening migrates and
    // builds missing indexes), and the import could end meanwhile.
    let mut watch = site.conn();
    let mut child = site
        .command(&[
            "import",
            "--format",
            "disqus",
            file.to_str().unwrap(),
            "--batch-size",
            "500",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut seen = 0;
    while Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
        seen = count_comments(&mut watch);
        if seen >= 1000 {
            break;
        }
    }
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    let partial = comment_count(&site);
    assert!(
        seen >= 1000 && partial < (threads * per_thread) as i64 && !status.success(),
        "the import was not killed part way: {partial} comments, {status:?}"
    );

    let summary = site.import("disqus", &file, &[]);
    assert!(
        summary.contains(&format!(
            "already imported by an earlier run: {partial} comments"
        )),
        "{summary}"
    );
    assert_eq!(comment_count(&site), (threads * per_thread) as i64);
    site.assert_consistent();
    let e = site.export();
    // Every reply under its parent, the late ones too.
    for t in [0, threads / 2, threads - 1] {
        let first = e.comment(&format!("Commentaire 0 sur l’article {t}"));
        let last = e.comment(&format!("Commentaire {} sur l’article {t}", per_thread - 1));
        assert_eq!(last["parent"], first["id"]);
        let fifth = e.comment(&format!("Commentaire 5 sur l’article {t}"));
        let sixth = e.comment(&format!("Commentaire 6 sur l’article {t}"));
        assert_eq!(fifth["parent"], sixth["id"]);
    }
    let bodies: BTreeSet<&str> = e
        .comments
        .iter()
        .map(|c| c["body"].as_str().unwrap())
        .collect();
    assert_eq!(bodies.len(), threads * per_thread, "duplicated comments");
}

#[test]
fn bad_input_stops_with_a_position_and_leaves_the_database_as_it_was() {
    let site = Site::new();
    site.import("wordpress", &fixture("wordpress-1.0.xml"), &[]);
    let before = site.export();

    let cases: Vec<(&str, PathBuf, &str)> = vec![
        ("disqus", fixture("malformed.xml"), "line 9, column"),
        (
            "disqus",
            fixture("wordpress.xml"),
            "not a Disqus export: the root element is <rss>",
        ),
        (
            "wordpress",
            fixture("disqus.xml"),
            "not a WordPress export (WXR): the root element is <disqus>",
        ),
        (
            "isso",
            fixture("disqus.xml"),
            "not an Isso database: the file is not SQLite",
        ),
        ("tribune", fixture("disqus.xml"), "not a Tribune export"),
        ("disqus", site.path("missing.xml"), "cannot open"),
    ];
    for (format, path, message) in cases {
        let out = site.tribune(&["import", "--format", format, path.to_str().unwrap()]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{format} {path:?}: {err}");
        assert!(err.contains(message), "{format} {path:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    // An SQLite file that is not Isso's names the table.
    let other = site.path("other.db");
    {
        let mut c = diesel::SqliteConnection::establish(other.to_str().unwrap()).unwrap();
        diesel::sql_query("CREATE TABLE notes (x TEXT)")
            .execute(&mut c)
            .unwrap();
    }
    let out = site.tribune(&["import", "--format", "isso", other.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("table `threads`"), "{}", stderr(&out));

    let after = site.export();
    assert_eq!(before.comments, after.comments);
    assert_eq!(before.users, after.users);
    assert_eq!(before.articles, after.articles);
}

#[test]
fn input_broken_part_way_keeps_the_batches_before_and_a_rerun_continues() {
    let site = Site::new();
    let good = site.path("good.xml");
    big_disqus(&good, 4, 50);
    // The same file cut in the middle of a post.
    let text = std::fs::read_to_string(&good).unwrap();
    let cut = text.find("<post dsq:id=\"p2-10\">").unwrap() + 30;
    let broken = site.path("broken.xml");
    std::fs::write(&broken, &text[..cut]).unwrap();
    let lines = text[..cut].lines().count();

    let out = site.tribune(&[
        "import",
        "--format",
        "disqus",
        broken.to_str().unwrap(),
        "--batch-size",
        "20",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("broken.xml: line {lines}, column")),
        "{err}"
    );
    assert!(err.contains("run the same command again"), "{err}");
    // Whole batches only: 100 comments of threads 0 and 1, and batches of 20 of thread 2.
    let partial = comment_count(&site);
    assert!(
        (100..=110).contains(&partial) && partial % 20 == 0,
        "{partial}"
    );
    // Counters exact for what is there, replies waiting for their parents aside.
    let mut c = site.conn();
    let sum: i64 = articles::table
        .select(articles::approved_count)
        .load::<i64>(&mut c)
        .unwrap()
        .iter()
        .sum();
    let approved: i64 = comments::table
        .filter(comments::status.eq("approved"))
        .count()
        .get_result(&mut c)
        .unwrap();
    assert_eq!(sum, approved);

    let summary = site.import("disqus", &good, &[]);
    assert!(
        summary.contains(&format!(
            "already imported by an earlier run: {partial} comments"
        )),
        "{summary}"
    );
    assert_eq!(comment_count(&site), 200);
    site.assert_consistent();
}

#[test]
fn replies_in_a_loop_or_across_threads_are_kept_at_the_top() {
    let site = Site::new();
    let file = site.path("cycle.xml");
    std::fs::write(
        &file,
        r#"<?xml version="1.0"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <thread dsq:id="1"><id>boucle</id><title>Boucle</title><createdAt>2020-01-01T00:00:00Z</createdAt></thread>
  <post dsq:id="a"><message>A répond à B</message><createdAt>2020-01-01T00:01:00Z</createdAt><author><name>Anne</name></author><thread dsq:id="1"/><parent dsq:id="b"/></post>
  <post dsq:id="b"><message>B répond à A</message><createdAt>2020-01-01T00:02:00Z</createdAt><author><name>Anne</name></author><thread dsq:id="1"/><parent dsq:id="a"/></post>
  <thread dsq:id="2"><id>ailleurs</id><title>Ailleurs</title><createdAt>2020-01-01T00:00:00Z</createdAt></thread>
  <post dsq:id="c"><message>C répond dans un autre fil</message><createdAt>2020-01-01T00:03:00Z</createdAt><author><name>Anne</name></author><thread dsq:id="2"/><parent dsq:id="a"/></post>
</disqus>
"#,
    )
    .unwrap();
    let summary = site.import("disqus", &file, &[]);
    assert!(
        summary.contains("replies whose parent is in another thread or among their own replies (kept at the top of their thread): 2"),
        "{summary}"
    );
    let e = site.export();
    assert_eq!(e.comment("B répond")["parent"], e.comment("A répond")["id"]);
    assert!(e.comment("A répond")["parent"].is_null());
    assert!(e.comment("C répond")["parent"].is_null());
    site.assert_consistent();
}

/// The 1-based line of `fixture` where the first line containing `after`
/// is followed by one containing `end`: where a record ends.
fn line_of(name: &str, after: &str, end: &str) -> usize {
    let text = std::fs::read_to_string(fixture(name)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| l.contains(after)).unwrap();
    start + lines[start..].iter().position(|l| l.contains(end)).unwrap() + 1
}

/// The display name of the author of the comment containing `text`.
fn shown_name<'a>(e: &'a Export, text: &str) -> &'a Value {
    &e.user(&e.comment(text)["author"])["display_name"]
}

/// The shapes of the Disqus files the peers test with: records without a
/// dsq:id are skipped and counted with their position (the rest of the file
/// is imported), an orphan post is skipped, and two people who typed the
/// same address stay two accounts, each comment under the name it had.
#[test]
fn disqus_records_without_an_id_are_skipped_and_counted_and_names_are_kept() {
    let site = Site::new();
    let file = fixture("disqus-peers.xml");
    let summary = site.import("disqus", &file, &[]);
    assert!(summary.contains("read: 3 threads, 6 comments"), "{summary}");
    assert!(
        summary.contains("created: 2 articles, 5 comments, 5 users"),
        "{summary}"
    );
    assert!(summary.contains("comments skipped: 3\n"), "{summary}");
    for reason in [
        "  1 a <post> without dsq:id\n",
        "  1 a <post> without <thread dsq:id>\n",
        "  1 thread not in the input\n",
    ] {
        assert!(summary.contains(reason), "{reason}: {summary}");
    }
    assert!(
        summary.contains("records that could not be placed (--strict stops at the first): 3"),
        "{summary}"
    );
    let shown = file.display();
    for (after, end, why) in [
        ("<id>perdu</id>", "</thread>", "a <thread> without dsq:id"),
        ("<id>998877</id>", "</post>", "a <post> without dsq:id"),
        ("Sans fil.", "</post>", "a <post> without <thread dsq:id>"),
    ] {
        let line = line_of("disqus-peers.xml", after, end);
        let expected = format!("  {shown}: line {line}, column ");
        let found = summary
            .lines()
            .find(|l| l.starts_with(&expected) && l.ends_with(why));
        assert!(found.is_some(), "{expected}…{why}: {summary}");
    }

    let e = site.export();
    let keys = e.keys();
    assert_eq!(keys.len(), 2, "{keys:?}");
    assert!(keys.contains("2012-05-marche-du-port.html"), "{keys:?}");
    assert_eq!(e.comments.len(), 5);
    // Each comment shows the name its source showed.
    assert_eq!(*shown_name(&e, "poissons frais"), "Samir");
    assert_eq!(*shown_name(&e, "légumes du Sahel"), "Leila H.");
    assert_eq!(*shown_name(&e, "superbe"), "Karim B.");
    assert_eq!(*shown_name(&e, "vendredi soir"), "Sans Pseudo");
    assert_eq!(e.comment("Gagnez")["status"], "rejected");
    let samir = e.comment("poissons frais");
    let leila = e.comment("légumes du Sahel");
    assert_eq!(leila["parent"], samir["id"]);
    assert_ne!(leila["author"], samir["author"]);
    // One address, two people: the first to give it holds it; a reset
    // mailed there claims Samir's comments and no one else's.
    assert_eq!(
        e.user(&samir["author"])["email"],
        "famille.haddad@courriel.example"
    );
    assert!(e.user(&leila["author"])["email"].is_null());
    let holders: Vec<&Value> = e
        .users
        .iter()
        .filter(|u| u["email"] == "famille.haddad@courriel.example")
        .collect();
    assert_eq!(holders.len(), 1);
    let theirs: Vec<&str> = e
        .comments
        .iter()
        .filter(|c| c["author"] == holders[0]["id"])
        .map(|c| c["body"].as_str().unwrap())
        .collect();
    assert_eq!(theirs, ["Enfin des poissons frais le samedi."]);
    site.assert_consistent();

    // A second run finds every identity again: no new account.
    let again = site.import("disqus", &file, &[]);
    assert!(
        again.contains("created: 0 articles, 0 comments, 0 users"),
        "{again}"
    );
}

/// `--strict` keeps stopping at the first record that cannot be placed,
/// with its line, and writes nothing of the batch it fell in.
#[test]
fn strict_imports_stop_at_the_first_record_without_an_id() {
    let site = Site::new();
    for (format, name, after, end, why) in [
        (
            "disqus",
            "disqus-peers.xml",
            "<id>perdu</id>",
            "</thread>",
            "a <thread> without dsq:id",
        ),
        (
            "wordpress",
            "wordpress-peers.xml",
            "Fantôme",
            "</wp:comment>",
            "a <wp:comment> without <wp:comment_id>",
        ),
    ] {
        let file = fixture(name);
        let out = site.tribune(&[
            "import",
            "--format",
            format,
            file.to_str().unwrap(),
            "--strict",
        ]);
        assert!(!out.status.success(), "{}", stdout(&out));
        let line = line_of(name, after, end);
        let err = stderr(&out);
        assert!(
            err.contains(&format!("{}: line {line}, column ", file.display())) && err.contains(why),
            "{err}"
        );
        let e = site.export();
        assert_eq!((e.comments.len(), e.users.len()), (0, 0));
    }
}

/// The shape of Isso's WordPress file: an item without <wp:post_id> is
/// keyed by its link; one without either is skipped with its comments; a
/// signed-in user who wrote under several names shows each name.
#[test]
fn wordpress_items_without_a_post_id_are_keyed_by_their_link() {
    let site = Site::new();
    let summary = site.import("wordpress", &fixture("wordpress-peers.xml"), &[]);
    assert!(summary.contains("read: 2 threads, 5 comments"), "{summary}");
    assert!(
        summary.contains("created: 2 articles, 5 comments, 5 users"),
        "{summary}"
    );
    assert!(summary.contains("comments skipped: 3\n"), "{summary}");
    assert!(
        summary.contains("  2 an <item> with comments but neither <wp:post_id> nor <link>\n"),
        "{summary}"
    );
    assert!(
        summary.contains("  1 a <wp:comment> without <wp:comment_id>\n"),
        "{summary}"
    );
    assert!(
        summary.contains("records that could not be placed (--strict stops at the first): 2"),
        "{summary}"
    );
    let e = site.export();
    assert_eq!(
        e.keys(),
        BTreeSet::from(["tram-prolonge".to_string(), "p-57".to_string()])
    );
    assert_eq!(e.article("p-57")["url"], "http://ville.example/?p=57");
    assert_eq!(
        e.comment("brève bien courte")["article"],
        e.article("p-57")["id"]
    );
    // The same user id under three names: three names shown. The same
    // name and address without the user id is another identity.
    assert_eq!(*shown_name(&e, "travaux commencent"), "Rédaction");
    assert_eq!(*shown_name(&e, "finissent en décembre"), "Rédaction");
    assert_ne!(
        e.comment("travaux commencent")["author"],
        e.comment("finissent en décembre")["author"]
    );
    assert_eq!(*shown_name(&e, "deux lignes"), "Chroniqueur invité");
    assert_eq!(*shown_name(&e, "brève bien courte"), "Anonyme");
    assert_eq!(*shown_name(&e, "jusqu'à la gare"), "Nour");
    let nour = e.comment("jusqu'à la gare");
    assert_eq!(e.user(&nour["author"])["email"], "nour@lecteurs.example");
    assert_eq!(e.comment("travaux commencent")["parent"], nour["id"]);
    assert_eq!(
        e.comment("finissent en décembre")["parent"],
        e.comment("travaux commencent")["id"]
    );
    let holders = e
        .users
        .iter()
        .filter(|u| u["email"] == "web@ville.example")
        .count();
    assert_eq!(holders, 1);
    assert_eq!(
        e.user(&e.comment("travaux commencent")["author"])["email"],
        "web@ville.example"
    );
    site.assert_consistent();
}

/// Runs `tribune ARGS` for `site`, killed if it takes longer than `limit`;
/// gives its output, or `None` when it had to be killed.
fn run_within(site: &Site, args: &[&str], limit: std::time::Duration) -> Option<Output> {
    let mut child = site
        .command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            child.kill().unwrap();
            child.wait().unwrap();
            return None;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    Some(child.wait_with_output().unwrap())
}

/// A Disqus post with 120,000 distinct child elements (2.6 MB) is read in
/// linear time: a search through the record's fields per field made this
/// quadratic (1.8 MB took 17 s). It takes about a second here, unoptimized;
/// the limit is twenty.
#[test]
fn a_disqus_record_with_many_distinct_elements_is_read_in_linear_time() {
    let site = Site::new();
    let path = site.path("wide.xml");
    let mut xml = String::from(
        "<?xml version=\"1.0\"?>\n<disqus xmlns:dsq=\"http://disqus.com/disqus-internals\">\n\
         <thread dsq:id=\"1\"><id>large</id><link>http://x.example/large</link></thread>\n\
         <post dsq:id=\"2\">",
    );
    for i in 0..120_000 {
        xml.push_str(&format!("<f{i}>x</f{i}>"));
    }
    xml.push_str(
        "<message>Toujours lu.</message><createdAt>2020-01-01T00:00:00Z</createdAt>\
         <author><name>Large</name></author><thread dsq:id=\"1\"/></post>\n</disqus>\n",
    );
    std::fs::write(&path, xml).unwrap();
    let out = run_within(
        &site,
        &["import", "--format", "disqus", path.to_str().unwrap()],
        std::time::Duration::from_secs(20),
    )
    .expect("the import ended within 20 s");
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("created: 1 articles, 1 comments, 1 users"),
        "{}",
        stdout(&out)
    );
}

/// An "Isso database" whose `comments` is a recursive view (it never ends)
/// is refused at once instead of hanging the import.
#[test]
fn an_isso_file_whose_comments_are_a_view_is_refused() {
    let site = Site::new();
    let path = site.path("view.db");
    {
        let mut c = diesel::SqliteConnection::establish(path.to_str().unwrap()).unwrap();
        use diesel::connection::SimpleConnection;
        c.batch_execute(
            "CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
             INSERT INTO threads VALUES (1, '/sans-fin/', 'Sans fin');
             CREATE VIEW comments AS
                 WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
                 SELECT 1 AS tid, i AS id, NULL AS parent, 1600000000.0 AS created,
                        NULL AS modified, 1 AS mode, 'encore' AS text, 'Boucle' AS author,
                        NULL AS email
                 FROM n;",
        )
        .unwrap();
    }
    // Refused in milliseconds; a minute is ample.
    let out = run_within(
        &site,
        &["import", "--format", "isso", path.to_str().unwrap()],
        std::time::Duration::from_secs(60),
    )
    .expect("the import ended instead of hanging");
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("table `comments`") && err.contains("`comments` is a view, not a table"),
        "{err}"
    );
    assert_eq!(comment_count(&site), 0);
}

/// `tribune export` lists every account's e-mail: only its owner may read
/// the file (0600, also when it replaces an older export), and a symbolic
/// link planted where it writes its temporary file is not followed.
#[cfg(unix)]
#[test]
fn the_export_file_is_readable_by_its_owner_only_and_follows_no_link() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::new();
    site.import("disqus", &fixture("disqus.xml"), &[]);
    let path = site.path("site.jsonl");
    std::fs::write(&path, "an older export").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let victim = site.path("victim.txt");
    std::fs::write(&victim, "not to be touched").unwrap();
    std::os::unix::fs::symlink(&victim, path.with_extension("partial")).unwrap();

    let out = site.tribune(&["export", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "not to be touched"
    );
    let meta = std::fs::symlink_metadata(&path).unwrap();
    assert!(meta.file_type().is_file());
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    assert_eq!(Export::read(&path).comments.len(), 8);
    assert!(!path.with_extension("partial").exists());
}

/// Moderators' notes on readers stay out of the site's export (see
/// docs/export-format.md, "What is not exported"): the backup keeps them.
#[test]
fn the_site_export_leaves_moderators_notes_out() {
    use tribune::store::schema::user_notes;
    const NOTE: &str = "NOTE-DE-MODERATION-7";
    let site = Site::new();
    site.import("disqus", &fixture("disqus.xml"), &[]);
    let mut c = site.conn();
    let ids: Vec<i64> = users::table
        .select(users::id)
        .order(users::id)
        .load(&mut c)
        .unwrap();
    assert!(ids.len() >= 2, "{ids:?}");
    diesel::insert_into(user_notes::table)
        .values((
            user_notes::user_id.eq(ids[0]),
            user_notes::author_id.eq(ids[1]),
            user_notes::text.eq(NOTE),
            user_notes::created_at.eq(1_700_000_000_000_i64),
        ))
        .execute(&mut c)
        .unwrap();
    drop(c);

    let path = site.path("site.jsonl");
    let out = site.tribune(&["export", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains(NOTE), "a note reached the export");
    // Only the three record types, as many as the header says.
    let export = Export::read(&path);
    let header = export.header.as_object().unwrap();
    let mut fields: Vec<&str> = header.keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "articles",
            "comments",
            "exported_at",
            "format",
            "users",
            "version"
        ]
    );
    assert_eq!(export.users.len(), ids.len());
}

#[test]
fn an_unknown_format_or_key_source_is_refused_by_name() {
    let site = Site::new();
    let file = fixture("disqus.xml");
    for (args, taken) in [
        (
            ["--format", "disqusx", "--key-from", "url"],
            "[possible values: disqus, wordpress, isso, tribune]",
        ),
        (
            ["--format", "disqus", "--key-from", "slug"],
            "[possible values: identifier, url, path]",
        ),
    ] {
        let mut all = vec!["import"];
        all.extend(args);
        all.push(file.to_str().unwrap());
        let out = site.tribune(&all);
        let err = stderr(&out);
        // clap's usage error, naming the value and the ones it takes.
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(&format!("invalid value '{}'", args[1]))
                || err.contains(&format!("invalid value '{}'", args[3])),
            "{err}"
        );
        assert!(err.contains(taken), "{err}");
    }
    assert_eq!(comment_count(&site), 0);
}
