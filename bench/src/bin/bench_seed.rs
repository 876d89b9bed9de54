//! Benchmark seeder (bench/README.md): fills a fresh SQLite or PostgreSQL
//! database with the workload straight through the store, in large transactions.
//!
//! Article `a0` gets `--hot` approved comments, articles `a1`..`aN` get
//! `--per-article` each; bodies are about 300 characters, alternating French
//! and Arabic, each one unique, from several reader accounts. Accounts: admin
//! `chef`, moderator `modo`, readers `lecteur1`..; all share `--password`.
//! `--pending` extra comments wait in the moderation queue (not on `a0`).
//! `--export` writes every comment as JSON lines for seeding a peer (Isso).
//! `--hot-reactions` marks every comment of `a0` with the one reaction, from
//! about one reader in four (`lecteur1` among them on a quarter of them).

use clap::Parser;
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::io::Write;
use std::sync::LazyLock;
use std::time::Instant;
use tribune::config::Config;
use tribune::store::models::{NewArticle, NewComment, NewUser};
use tribune::store::schema::{articles, comments, users};
use tribune::store::{Db, DbConnection};

#[derive(Parser)]
#[command(
    name = "bench_seed",
    about = "Seed a Tribune database (SQLite or PostgreSQL) for the benchmark."
)]
struct Args {
    /// SQLite file to create (must not exist), or an empty PostgreSQL database's URL.
    #[arg(long)]
    db: String,
    /// Approved comments on the hot article `a0`.
    #[arg(long, default_value_t = 200)]
    hot: usize,
    /// Other articles (`a1`..`aN`).
    #[arg(long, default_value_t = 1000)]
    articles: usize,
    /// Approved comments on each other article.
    #[arg(long, default_value_t = 20)]
    per_article: usize,
    /// Extra pending comments (moderation queue), spread over the other articles.
    #[arg(long, default_value_t = 200)]
    pending: usize,
    /// Reader accounts (`lecteur1`..), who write the comments.
    #[arg(long, default_value_t = 64)]
    readers: usize,
    /// Password of every seeded account.
    #[arg(long, default_value = "banc-d-essai-2026")]
    password: String,
    /// Write every comment as JSON lines {article, author, created, body} here.
    #[arg(long)]
    export: Option<String>,
    /// Comments per transaction.
    #[arg(long, default_value_t = 10_000)]
    batch: usize,
    /// Reactions on every comment of `a0` (see the module's comment).
    #[arg(long)]
    hot_reactions: bool,
}

/// Words of the French bodies, space-separated.
const FR: &str = "le gouvernement a annoncé une réforme des retraites qui suscite \
    beaucoup de débats dans la presse et chez les lecteurs je pense que \
    cette décision est prématurée mais il faut reconnaître article très \
    bien écrit merci pour analyse honnête économie marocaine mérite mieux \
    villes campagnes école santé été déjà où ça élections prochaines \
    ministre journaliste opinion à notre avenir jeunesse emploi chômage \
    budget transparence citoyens *vraiment*";

/// Words of the Arabic bodies, space-separated.
const AR: &str = "الحكومة أعلنت عن إصلاح جديد في نظام التقاعد وهذا القرار يثير \
    الكثير من النقاش بين القراء أعتقد أن المقال مكتوب بشكل جيد \
    شكرا على هذا التحليل الصادق الاقتصاد المغربي يستحق أفضل \
    المدن والقرى التعليم والصحة الانتخابات المقبلة الوزير الصحفي \
    الرأي مستقبل الشباب الشغل البطالة الميزانية الشفافية \
    المواطنين لا بد الحقيقة اليوم غدا مع كل الاحترام";

static FR_WORDS: LazyLock<Vec<&str>> = LazyLock::new(|| FR.split_whitespace().collect());
static AR_WORDS: LazyLock<Vec<&str>> = LazyLock::new(|| AR.split_whitespace().collect());

/// A unique body of about 300 characters (unique by `n`), French or Arabic.
fn body(n: usize, arabic: bool, rng: &mut StdRng) -> String {
    let french = !arabic;
    let (words, tail) = if french {
        (&*FR_WORDS, format!(" (réf. {n})"))
    } else {
        (&*AR_WORDS, format!(" (رقم {n})"))
    };
    let mut s = String::with_capacity(700);
    let mut first = true;
    while s.chars().count() < 285 {
        if !first {
            s.push(' ');
        }
        let w = words[rng.gen_range(0..words.len())];
        if first && french {
            let mut cs = w.trim_start_matches('*').chars();
            if let Some(c) = cs.next() {
                s.extend(c.to_uppercase());
                s.push_str(cs.as_str().trim_end_matches('*'));
            }
        } else {
            s.push_str(w);
        }
        first = false;
    }
    s.push_str(&tail);
    s.push('.');
    s
}

/// One comment to insert, its strings prepared.
struct Prepared {
    article_id: i64,
    author_id: i64,
    body: String,
    html: String,
    dir: &'static str,
    dup_key: String,
    status: &'static str,
    reasons: &'static str,
    created_at: i64,
    article_key: String,
    author: String,
}

struct Spec {
    n: usize,
    /// Alternates within each article: French, Arabic, French...
    arabic: bool,
    article_id: i64,
    author: usize,
    pending: bool,
    created_at: i64,
}

fn prepare(specs: &[Spec], reader_ids: &[i64], seed: u64) -> Vec<Prepared> {
    let mut rng = StdRng::seed_from_u64(seed);
    specs
        .iter()
        .map(|s| {
            // Stored form and derived columns, as service::comments::Written makes them.
            let body = tribune::text::normalize_body(&body(s.n, s.arabic, &mut rng));
            Prepared {
                article_id: s.article_id,
                author_id: reader_ids[s.author],
                html: tribune::text::render_html(&body),
                dir: tribune::text::direction(&body).as_str(),
                dup_key: tribune::text::duplicate_key(&body),
                status: if s.pending { "pending" } else { "approved" },
                reasons: if s.pending { "suspect_word" } else { "" },
                created_at: s.created_at,
                article_key: format!("a{}", s.article_id - 1),
                author: format!("lecteur{}", s.author + 1),
                body,
            }
        })
        .collect()
}

/// Runs `$body` with `$c` the backend's own connection (batch inserts need it).
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            DbConnection::Sqlite($c) => $body,
            DbConnection::Postgres($c) => $body,
        }
    };
}

type Error = Box<dyn std::error::Error>;

/// The seeding steps, in order.
fn main() -> Result<(), Error> {
    let args = Args::parse();
    let started = Instant::now();
    let (db, config) = open_fresh(&args.db)?;
    let hash = tribune::auth::Hasher::new(&config.auth)?.hash_now(&args.password)?;
    let timeline = Timeline::new(args.total());
    let reader_ids = seed_accounts(&db, &args, &hash, &timeline)?;
    seed_articles(&db, &args, &timeline)?;
    let specs = plan_comments(&args, &timeline);
    let inserted = insert_comments(&db, &args, &specs, &reader_ids, started)?;
    recount(&db, &args, &reader_ids)?;
    if args.hot_reactions {
        react_on_hot(&db)?;
    }
    analyze(&db)?;
    println!(
        "seeded {} users, {} articles, {} comments ({} approved, {} pending) in {:.1?}",
        args.readers + 2,
        args.articles + 1,
        inserted,
        inserted - args.pending,
        args.pending,
        started.elapsed()
    );
    Ok(())
}

impl Args {
    /// Every comment to seed.
    fn total(&self) -> usize {
        self.hot + self.articles * self.per_article + self.pending
    }
}

/// When things were created: comments spread evenly over the last 30 days,
/// oldest first; accounts and articles before them.
struct Timeline {
    start: i64,
    step: i64,
}

impl Timeline {
    fn new(comments: usize) -> Timeline {
        let now = tribune::store::now_ms();
        let start = now - 30 * 24 * 3600 * 1000;
        let step = ((now - 60_000 - start) / comments.max(1) as i64).max(1);
        Timeline { start, step }
    }
}

/// A fresh, migrated database at `path`: a new file, or an empty PostgreSQL database's URL.
fn open_fresh(path: &str) -> Result<(Db, Config), Error> {
    let mut config = Config::defaults();
    if path.starts_with("postgres://") || path.starts_with("postgresql://") {
        config.database.url = path.to_string();
        return Ok((Db::open(&config.database)?, config));
    }
    if std::path::Path::new(path).exists() {
        return Err(format!("{path} exists; the seeder wants a fresh file").into());
    }
    let abs = std::path::absolute(path)?;
    config.database.url = format!("sqlite://{}", abs.display());
    let db = Db::open(&config.database)?;
    Ok((db, config))
}

/// Admin `chef`, moderator `modo` and the readers; the readers' ids, in order.
fn seed_accounts(db: &Db, args: &Args, hash: &str, timeline: &Timeline) -> Result<Vec<i64>, Error> {
    let mut people: Vec<(String, String, Option<String>, &str)> = vec![
        (
            "chef".into(),
            "chef@example.com".into(),
            Some("Rédaction".into()),
            "admin",
        ),
        (
            "modo".into(),
            "modo@example.com".into(),
            Some("Modération".into()),
            "moderator",
        ),
    ];
    for i in 1..=args.readers {
        let display = if i % 2 == 0 {
            format!("قارئ {i}")
        } else {
            format!("Lecteur {i}")
        };
        people.push((
            format!("lecteur{i}"),
            format!("lecteur{i}@example.com"),
            Some(display),
            "reader",
        ));
    }
    let skeletons: Vec<String> = people
        .iter()
        .map(|p| tribune::text::username_skeleton(&p.0))
        .collect();
    let rows: Vec<NewUser> = people
        .iter()
        .zip(&skeletons)
        .map(|(p, sk)| NewUser {
            username: &p.0,
            username_skeleton: sk,
            email: Some(&p.1),
            password_hash: hash,
            display_name: p.2.as_deref(),
            role: p.3,
            locale: if p.0.ends_with(['0', '2', '4', '6', '8']) {
                "ar"
            } else {
                "fr"
            },
            created_at: timeline.start - 86_400_000,
        })
        .collect();
    let ids = db
        .write_now(|conn| {
            Ok(on_backend!(conn, |c| {
                for chunk in rows.chunks(500) {
                    diesel::insert_into(users::table).values(chunk).execute(c)?;
                }
                users::table
                    .filter(users::username.like("lecteur%"))
                    .order(users::id)
                    .select(users::id)
                    .load::<i64>(c)?
            }))
        })
        .map_err(|e| format!("users: {e:?}"))?;
    Ok(ids)
}

/// Articles a0..aN, which get ids 1..N+1 in a fresh database.
fn seed_articles(db: &Db, args: &Args, timeline: &Timeline) -> Result<(), Error> {
    let keys: Vec<(String, String)> = (0..=args.articles)
        .map(|i| {
            (
                format!("a{i}"),
                format!("Article {i} : l'actualité du jour"),
            )
        })
        .collect();
    let rows: Vec<NewArticle> = keys
        .iter()
        .map(|(k, t)| NewArticle {
            key: k,
            title: t,
            url: None,
            comments_open: true,
            moderation: None,
            created_at: timeline.start - 3_600_000,
        })
        .collect();
    db.write_now(|conn| {
        let first: i64 = on_backend!(conn, |c| {
            for chunk in rows.chunks(2000) {
                diesel::insert_into(articles::table)
                    .values(chunk)
                    .execute(c)?;
            }
            articles::table
                .filter(articles::key.eq("a0"))
                .select(articles::id)
                .first(c)?
        });
        assert_eq!(
            first, 1,
            "articles must be numbered from 1 in a fresh database"
        );
        Ok(())
    })
    .map_err(|e| format!("articles: {e:?}"))?;
    Ok(())
}

/// The comments to write, in creation order: the hot article and the pending
/// ones interleaved with the rest.
fn plan_comments(args: &Args, timeline: &Timeline) -> Vec<Spec> {
    let mut specs: Vec<Spec> = Vec::with_capacity(args.total());
    let others = args.articles * args.per_article;
    let every = |count: usize| others.checked_div(count).map_or(usize::MAX, |n| n.max(1));
    let (hot_every, pending_every) = (every(args.hot), every(args.pending));
    let (mut hot_left, mut pending_left) = (args.hot, args.pending);
    let mut n = 0usize;
    let mut per_article = vec![0usize; args.articles + 1];
    let mut push = |specs: &mut Vec<Spec>, article: usize, pending: bool| {
        per_article[article] += 1;
        specs.push(Spec {
            n,
            arabic: per_article[article].is_multiple_of(2),
            article_id: article as i64 + 1,
            author: n % args.readers.max(1),
            pending,
            created_at: timeline.start + n as i64 * timeline.step,
        });
        n += 1;
    };
    for j in 0..others {
        if j % hot_every == 0 && hot_left > 0 {
            push(&mut specs, 0, false);
            hot_left -= 1;
        }
        if j % pending_every == 0 && pending_left > 0 && args.articles > 0 {
            push(&mut specs, 1 + (j * 7919) % args.articles, true);
            pending_left -= 1;
        }
        // Articles round-robin, so every article's comments are spread in time.
        push(&mut specs, 1 + j % args.articles, false);
    }
    for _ in 0..hot_left {
        push(&mut specs, 0, false);
    }
    specs
}

/// Renders each batch in parallel and inserts it in one transaction; writes
/// the export as it goes. Returns how many comments were inserted.
fn insert_comments(
    db: &Db,
    args: &Args,
    specs: &[Spec],
    reader_ids: &[i64],
    started: Instant,
) -> Result<usize, Error> {
    let mut export = match &args.export {
        Some(p) => Some(std::io::BufWriter::new(std::fs::File::create(p)?)),
        None => None,
    };
    let total = specs.len();
    let mut inserted = 0usize;
    for (b, batch) in specs.chunks(args.batch.max(1)).enumerate() {
        let prepared = prepare_in_parallel(batch, reader_ids, b);
        insert_batch(db, &prepared)?;
        if let Some(w) = export.as_mut() {
            for p in &prepared {
                let line = serde_json::json!({
                    "article": p.article_key,
                    "author": p.author,
                    "created": p.created_at,
                    "status": p.status,
                    "body": p.body,
                });
                writeln!(w, "{line}")?;
            }
        }
        inserted += prepared.len();
        if b % 20 == 19 {
            eprintln!(
                "bench_seed: {inserted}/{total} comments, {:.1?}",
                started.elapsed()
            );
        }
    }
    if let Some(mut w) = export {
        w.flush()?;
    }
    Ok(inserted)
}

/// Batch `b`'s comments with their derived columns, rendered on every core.
fn prepare_in_parallel(batch: &[Spec], reader_ids: &[i64], b: usize) -> Vec<Prepared> {
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .max(1);
    let per = batch.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = batch
            .chunks(per.max(1))
            .enumerate()
            .map(|(t, part)| s.spawn(move || prepare(part, reader_ids, (b * 64 + t) as u64)))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("render thread"))
            .collect()
    })
}

/// One batch in one transaction, on one connection.
fn insert_batch(db: &Db, prepared: &[Prepared]) -> Result<(), Error> {
    let rows: Vec<NewComment> = prepared
        .iter()
        .map(|p| NewComment {
            article_id: p.article_id,
            parent_id: None,
            author_id: Some(p.author_id),
            body: &p.body,
            html: &p.html,
            dir: p.dir,
            status: p.status,
            reasons: p.reasons,
            depth: 1,
            dup_key: &p.dup_key,
            created_at: p.created_at,
            word_matches: "[]",
        })
        .collect();
    db.write_now(|conn| {
        if let DbConnection::Sqlite(c) = conn {
            // One connection per `write_now`: the inserting one gets a large page
            // cache, or a million index inserts at random places spend it paging.
            diesel::sql_query("PRAGMA cache_size = -262144").execute(c)?;
        }
        on_backend!(conn, |c| {
            for chunk in rows.chunks(1000) {
                diesel::insert_into(comments::table)
                    .values(chunk)
                    .execute(c)?;
            }
        });
        Ok(())
    })
    .map_err(|e| format!("comments: {e:?}"))?;
    Ok(())
}

/// What the store keeps per article (approved counts, versions...) and per
/// author (approved and rejected counts), recomputed the store's own way.
fn recount(db: &Db, args: &Args, reader_ids: &[i64]) -> Result<(), Error> {
    let ids: Vec<i64> = (1..=args.articles as i64 + 1).collect();
    for chunk in ids.chunks(5000) {
        db.write_now(|conn| {
            for &id in chunk {
                tribune::store::articles::recount(conn, id)?;
            }
            Ok(())
        })
        .map_err(|e| format!("recount: {e:?}"))?;
    }
    db.write_now(|conn| {
        for &id in reader_ids {
            tribune::store::users::recount(conn, id)?;
        }
        Ok(())
    })
    .map_err(|e| format!("recount authors: {e:?}"))?;
    Ok(())
}

/// Every approved comment of `a0` is marked by the readers other than its
/// author whose id and the comment's add up to a multiple of 4 (about 16 of
/// the 64); counts kept beside the comments as the store keeps them.
fn react_on_hot(db: &Db) -> Result<(), Error> {
    db.write_now(|conn| {
        diesel::sql_query(
            "INSERT INTO reactions (comment_id, user_id, created_at) \
             SELECT c.id, u.id, c.created_at + 60000 FROM comments c \
             JOIN articles a ON a.id = c.article_id AND a.key = 'a0' \
             JOIN users u ON u.role = 'reader' AND u.id <> c.author_id \
             WHERE c.status = 'approved' AND (c.id + u.id) % 4 = 0",
        )
        .execute(conn)?;
        diesel::sql_query(
            "UPDATE comments SET reactions = \
             (SELECT COUNT(*) FROM reactions r WHERE r.comment_id = comments.id) \
             WHERE article_id = (SELECT id FROM articles WHERE key = 'a0')",
        )
        .execute(conn)?;
        Ok(())
    })
    .map_err(|e| format!("reactions: {e:?}"))?;
    Ok(())
}

/// Fresh statistics for the query planner.
fn analyze(db: &Db) -> Result<(), Error> {
    db.write_now(|conn| {
        diesel::sql_query("ANALYZE").execute(conn)?;
        Ok(())
    })
    .map_err(|e| format!("analyze: {e:?}"))?;
    Ok(())
}
