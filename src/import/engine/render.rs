//! A comment's text made ready to store, on the preparing threads: the
//! stored form, its HTML rendered like the write path's, and its author's key;
//! and those threads, which share out each batch.

use super::*;

/// A comment's text in stored form, with what is derived from it.
pub(super) struct Rendered {
    pub(super) body: String,
    pub(super) html: String,
    pub(super) dir: &'static str,
    pub(super) dup_key: String,
    pub(super) author: authors::Author,
}

/// Turns a source's text into Tribune's stored form and renders it the way
/// the write path does.
pub(super) fn prepare(c: &CommentRec) -> Result<Rendered, &'static str> {
    if let Some(why) = c.not_a_comment {
        return Err(why);
    }
    let markdown = match &c.body {
        Body::Html(h) => html::to_markdown(h, false),
        Body::HtmlWithBreaks(h) => html::to_markdown(h, true),
        Body::Markdown(m) => m.clone(),
    };
    let body = text::normalize_body(&markdown);
    if body.is_empty() && c.class != Class::Deleted {
        return Err("empty text");
    }
    Ok(Rendered {
        html: text::render_html(&body),
        dir: text::direction(&body).as_str(),
        dup_key: text::duplicate_key(&body),
        body,
        author: authors::author_key(&c.author),
    })
}

/// A source item made ready for the writer (a comment converted and rendered).
fn prepare_item(item: Item) -> Prepared {
    match item {
        Item::Thread(t) => Prepared::Thread(t),
        Item::User(u) => Prepared::User(u),
        Item::Skipped(skip) => Prepared::Skipped(skip),
        Item::Comment(mut c) => {
            let rendered = prepare(&c);
            // The source's text is not needed past here: less memory per batch in flight.
            c.body = Body::Markdown(String::new());
            Prepared::Comment(Box::new(c), rendered)
        }
    }
}

/// Threads that prepare the parts of each batch, started once for the whole
/// import: a thread per batch part would be started and ended 2 × 200 times
/// for a million comments, each time handed another of malloc's arenas.
pub(super) struct Preparers {
    workers: Vec<Preparer>,
}

/// One preparing thread: where its part of a batch goes, and where it comes back.
struct Preparer {
    parts: SyncSender<Vec<Item>>,
    done: Receiver<Vec<Prepared>>,
}

impl Preparers {
    pub(super) fn start(count: usize) -> std::io::Result<Preparers> {
        let mut workers = Vec::with_capacity(count);
        for n in 0..count.max(1) {
            let (part_tx, part_rx) = sync_channel::<Vec<Item>>(1);
            let (done_tx, done_rx) = sync_channel::<Vec<Prepared>>(1);
            std::thread::Builder::new()
                .name(format!("tribune-prepare-{n}"))
                .spawn(move || {
                    for part in part_rx {
                        let prepared = part.into_iter().map(prepare_item).collect();
                        if done_tx.send(prepared).is_err() {
                            return;
                        }
                    }
                })?;
            workers.push(Preparer {
                parts: part_tx,
                done: done_rx,
            });
        }
        Ok(Preparers { workers })
    }

    /// Prepares a batch on every thread, keeping its order.
    pub(super) fn prepare_all(&self, items: Vec<Item>) -> Result<Vec<Prepared>, ImportError> {
        // A bug while preparing ends that thread (its channel closes): the
        // import stops rather than losing comments.
        let failed = || {
            ImportError::Io(
                "preparing a comment failed (a bug): nothing of this batch was written".into(),
            )
        };
        let size = items.len().div_ceil(self.workers.len()).max(1);
        let mut items = items.into_iter();
        let mut sent = 0;
        for worker in &self.workers {
            let part: Vec<Item> = items.by_ref().take(size).collect();
            if part.is_empty() {
                break;
            }
            worker.parts.send(part).map_err(|_| failed())?;
            sent += 1;
        }
        let mut all = Vec::new();
        for worker in &self.workers[..sent] {
            all.extend(worker.done.recv().map_err(|_| failed())?);
        }
        Ok(all)
    }
}
