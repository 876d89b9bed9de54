//! Who wrote what: the accounts made for a source's authors, and found
//! again by a later run.
//!
//! The e-mail addresses of Disqus, WordPress and Isso were never verified:
//! anyone could type anyone's. So an address does not join comments into
//! one account; a source identity is its own account: a registered author
//! by the source's user id (and the name shown, since a comment shows the
//! name its source showed and an account has one), anyone else by name and
//! e-mail. An account gets the address only when no other account holds it,
//! so a password reset to that address claims the comments of that one
//! identity, never those written under another name.

use super::*;

/// The kinds of author the map keys (`email`: runs before identities).
pub(super) const KINDS: &[&str] = &["email", "name", "user", "account", "identity"];

/// How the map knows an author, with their name and address as the source
/// gives them.
pub(super) fn author_key(a: &AuthorRec) -> Author {
    let email = a
        .email
        .as_deref()
        .and_then(|e| Email::parse(e).ok().map(Email::into_string));
    let name = a
        .name
        .as_deref()
        .map(text::normalize_line)
        .filter(|n| !n.is_empty());
    let shown = name.as_deref().unwrap_or("");
    let key = if let Some(u) = &a.user {
        AuthorKey::User(u.clone())
    } else if let Some(account) = &a.account {
        AuthorKey::Account(format!("{account}\n{shown}"))
    } else if let Some(e) = &email {
        AuthorKey::Identity(format!("{shown}\n{e}"))
    } else if let Some(n) = &name {
        AuthorKey::Name(n.clone())
    } else {
        return None;
    };
    Some(Who { key, name, email })
}

/// Where a comment's author comes from, as the map keys it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum AuthorKey {
    /// Anonymous, with a name only.
    Name(String),
    /// A user record of a Tribune export.
    User(String),
    /// A registered author of the source: its user id and the name shown.
    Account(String),
    /// Anonymous, with a name and an address: both.
    Identity(String),
}

impl AuthorKey {
    fn kind(&self) -> &'static str {
        match self {
            AuthorKey::Name(_) => "name",
            AuthorKey::User(_) => "user",
            AuthorKey::Account(_) => "account",
            AuthorKey::Identity(_) => "identity",
        }
    }

    fn id(&self) -> &str {
        match self {
            AuthorKey::Name(s)
            | AuthorKey::User(s)
            | AuthorKey::Account(s)
            | AuthorKey::Identity(s) => s,
        }
    }

    /// Which of the writer's maps (one per kind) knows it.
    fn slot(&self) -> usize {
        match self {
            AuthorKey::Name(_) => 0,
            AuthorKey::User(_) => 1,
            AuthorKey::Account(_) => 2,
            AuthorKey::Identity(_) => 3,
        }
    }
}

/// A comment's author: the key, the name shown and the address given.
#[derive(Debug, Clone)]
pub(super) struct Who {
    key: AuthorKey,
    name: Option<String>,
    email: Option<String>,
}

/// A comment's author as the map keys it (worked out while the comment is
/// prepared, off the writing thread).
pub(super) type Author = Option<Who>;

/// Accounts already found or made, by kind of source key: looked up without
/// building a key per comment.
#[derive(Default)]
pub(super) struct Known([HashMap<String, i64>; 4]);

impl Known {
    fn get(&self, key: &AuthorKey) -> Option<i64> {
        self.0[key.slot()].get(key.id()).copied()
    }

    fn insert(&mut self, key: &AuthorKey, id: i64) {
        self.0[key.slot()].insert(key.id().to_string(), id);
    }
}

impl<'a> Writer<'a> {
    /// The account of a comment's author: made by an earlier batch or
    /// run, or made now.
    pub(super) fn author(
        &mut self,
        conn: &mut DbConnection,
        a: &Author,
        when: i64,
    ) -> Result<Option<i64>, ImportError> {
        let Some(who) = a else {
            return Ok(None);
        };
        if self.authors.get(&who.key).is_none() {
            // Not met by the batch's look-up (which finds them all): the
            // same, for this one.
            self.prefetch_authors(conn, &[(a, when)])?;
        }
        Ok(self.authors.get(&who.key))
    }

    /// Finds in a few statements the accounts of a batch's authors that
    /// earlier batches or runs made, and makes the others, so that `author`
    /// then only reads the cache.
    pub(super) fn prefetch_authors(
        &mut self,
        conn: &mut DbConnection,
        authors: &[(&Author, i64)],
    ) -> Result<(), ImportError> {
        let mut wanted: Vec<(&Who, i64)> = Vec::new();
        let mut seen = HashSet::new();
        for (a, when) in authors {
            if let Some(who) = a {
                if self.authors.get(&who.key).is_none() && seen.insert(&who.key) {
                    wanted.push((who, *when));
                }
            }
        }
        if wanted.is_empty() {
            return Ok(());
        }
        for kind in ["name", "user", "account", "identity"] {
            let ids: Vec<&str> = wanted
                .iter()
                .filter(|(w, _)| w.key.kind() == kind)
                .map(|(w, _)| w.key.id())
                .collect();
            if ids.is_empty() {
                continue;
            }
            let found = store::lookup(conn, self.source, kind, &ids)?;
            for (who, _) in wanted.iter().filter(|(w, _)| w.key.kind() == kind) {
                if let Some(Some(target)) = found.get(who.key.id()) {
                    self.report.users_matched += 1;
                    self.authors.insert(&who.key, *target);
                }
            }
        }
        // A user record of the same export that was not read: nobody.
        wanted.retain(|(w, _)| {
            !matches!(w.key, AuthorKey::User(_)) && self.authors.get(&w.key).is_none()
        });
        if wanted.is_empty() {
            return Ok(());
        }
        // Addresses some account holds already: the new account goes without.
        let emails: Vec<&str> = wanted
            .iter()
            .filter_map(|(w, _)| w.email.as_deref())
            .collect();
        let mut held: HashSet<String> = store::users_by_email(conn, &emails)?.into_keys().collect();
        let mut map = Vec::new();
        // The names most new accounts will get, checked in one statement.
        let bases: Vec<String> = wanted
            .iter()
            .map(|(w, _)| {
                text::username_skeleton(&names::base_username(w.name.as_deref().unwrap_or("")).0)
            })
            .collect();
        let bases: Vec<&str> = bases.iter().map(String::as_str).collect();
        let mut taken = store::skeletons_taken(conn, &bases)?;
        for (who, when) in &wanted {
            let email = who.email.as_deref().filter(|e| held.insert(e.to_string()));
            let id = self.new_user_checked(
                conn,
                who.name.as_deref(),
                None,
                email,
                *when,
                Some(&mut taken),
            )?;
            map.push(MapRow {
                source: self.source,
                kind: who.key.kind(),
                source_id: who.key.id().to_string(),
                target_id: Some(id),
                note: None,
            });
            self.authors.insert(&who.key, id);
        }
        store::record(conn, &map)?;
        Ok(())
    }

    /// An account of a Tribune export.
    pub(super) fn user_record(
        &mut self,
        conn: &mut DbConnection,
        u: &UserRec,
    ) -> Result<(), ImportError> {
        let key = AuthorKey::User(u.id.clone());
        if let Some(Some(id)) = store::lookup(conn, self.source, "user", &[&u.id])?.remove(&u.id) {
            self.authors.insert(&key, id);
            return Ok(());
        }
        let email = u
            .email
            .as_deref()
            .and_then(|e| Email::parse(e).ok().map(Email::into_string));
        let existing = match &email {
            Some(e) => store::users_by_email(conn, &[e])?.get(e).copied(),
            None => None,
        };
        let id = match existing {
            Some(id) => {
                self.report.users_matched += 1;
                id
            }
            None => {
                let display = u.display_name.as_deref().unwrap_or(&u.username);
                self.new_user(
                    conn,
                    Some(display),
                    Some(&u.username),
                    email.as_deref(),
                    u.created_at,
                )?
            }
        };
        store::record(
            conn,
            &[MapRow {
                source: self.source,
                kind: "user",
                source_id: u.id.clone(),
                target_id: Some(id),
                note: None,
            }],
        )?;
        self.authors.insert(&key, id);
        Ok(())
    }

    pub(super) fn new_user(
        &mut self,
        conn: &mut DbConnection,
        display: Option<&str>,
        username: Option<&str>,
        email: Option<&str>,
        when: i64,
    ) -> Result<i64, ImportError> {
        self.new_user_checked(conn, display, username, email, when, None)
    }

    /// `bulk`: the skeletons of the batch's base names that are taken (read
    /// in one statement) and those given since; the base name is then not
    /// looked up again, and the new account's skeleton is added.
    pub(super) fn new_user_checked(
        &mut self,
        conn: &mut DbConnection,
        display: Option<&str>,
        username: Option<&str>,
        email: Option<&str>,
        when: i64,
        bulk: Option<&mut HashSet<String>>,
    ) -> Result<i64, ImportError> {
        let original = username.or(display).unwrap_or("");
        let (base, refused) = names::base_username(original);
        let mut n = 1;
        let (username, skeleton) = loop {
            let candidate = names::variant(&base, n);
            let skeleton = text::username_skeleton(&candidate);
            let taken = match bulk.as_deref() {
                Some(set) if set.contains(&skeleton) => true,
                Some(_) if n == 1 => false,
                _ => store::skeleton_taken(conn, &skeleton)?,
            };
            if !taken {
                break (candidate, skeleton);
            }
            n += 1;
        };
        if let Some(set) = bulk {
            set.insert(skeleton.clone());
        }
        if username != original {
            self.report.renamed_count += 1;
        }
        // Only the first ones are shown: the others are counted, not kept.
        if username != original && self.report.renamed.len() < crate::import::RENAMED_SHOWN {
            self.report.renamed.push(Renamed {
                original: original.to_string(),
                username: username.clone(),
                why: match refused {
                    Some(why) => why,
                    None => "already taken",
                },
            });
        }
        let display = names::display_name(display.unwrap_or(&username), &username);
        let id = store::insert_user(
            conn,
            &store::ImportedUser {
                username: &username,
                skeleton: &skeleton,
                email,
                display_name: &display,
                original_name: Some(original),
                locale: &self.opts.locale,
                created_at: when,
                source: self.source,
            },
        )?;
        self.report.users_created += 1;
        Ok(id)
    }
}
