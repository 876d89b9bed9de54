//! Who wrote what: authors found again by e-mail or by name within an
//! import, and the accounts made for them.

use super::*;

/// How the map knows an author, and their name as the source gives it.
pub(super) fn author_key(a: &AuthorRec) -> Option<(AuthorKey, Option<String>)> {
    let email = a
        .email
        .as_deref()
        .and_then(|e| Email::parse(e).ok().map(Email::into_string));
    let name = a
        .name
        .as_deref()
        .map(text::normalize_line)
        .filter(|n| !n.is_empty());
    let key = if let Some(u) = &a.user {
        AuthorKey::User(u.clone())
    } else if let Some(e) = email {
        AuthorKey::Email(e)
    } else if let Some(n) = &name {
        AuthorKey::Name(n.clone())
    } else {
        return None;
    };
    Some((key, name))
}

/// Where a comment's author comes from, as the map keys it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum AuthorKey {
    Email(String),
    Name(String),
    User(String),
}

impl AuthorKey {
    fn kind(&self) -> &'static str {
        match self {
            AuthorKey::Email(_) => "email",
            AuthorKey::Name(_) => "name",
            AuthorKey::User(_) => "user",
        }
    }

    fn id(&self) -> &str {
        match self {
            AuthorKey::Email(s) | AuthorKey::Name(s) | AuthorKey::User(s) => s,
        }
    }

    /// Which of the writer's maps (one per kind) knows it.
    fn slot(&self) -> usize {
        match self {
            AuthorKey::Email(_) => 0,
            AuthorKey::Name(_) => 1,
            AuthorKey::User(_) => 2,
        }
    }
}

/// A comment's author as the map keys it, and their name (worked out while
/// the comment is prepared, off the writing thread).
pub(super) type Author = Option<(AuthorKey, Option<String>)>;

/// Accounts already found or made, by kind of source key: looked up without
/// building a key per comment.
#[derive(Default)]
pub(super) struct Known([HashMap<String, i64>; 3]);

impl Known {
    fn get(&self, key: &AuthorKey) -> Option<i64> {
        self.0[key.slot()].get(key.id()).copied()
    }

    fn insert(&mut self, key: &AuthorKey, id: i64) {
        self.0[key.slot()].insert(key.id().to_string(), id);
    }
}

impl<'a> Writer<'a> {
    /// The account of a comment's author: found by e-mail, by the same source
    /// user, or by name within this source; made when there is none.
    pub(super) fn author(
        &mut self,
        conn: &mut DbConnection,
        a: &Author,
        when: i64,
    ) -> Result<Option<i64>, ImportError> {
        let Some((key, name)) = a else {
            return Ok(None);
        };
        if let Some(id) = self.authors.get(key) {
            return Ok(Some(id));
        }
        if let Some(Some(id)) =
            store::lookup(conn, self.source, key.kind(), &[key.id()])?.remove(key.id())
        {
            self.report.users_matched += 1;
            self.authors.insert(key, id);
            return Ok(Some(id));
        }
        let id = match &key {
            // A user record of the same export that was not read: nobody.
            AuthorKey::User(_) => return Ok(None),
            AuthorKey::Email(e) => match store::users_by_email(conn, &[e])?.get(e) {
                Some(&id) => {
                    self.report.users_matched += 1;
                    id
                }
                None => self.new_user(conn, name.as_deref(), None, Some(e), when)?,
            },
            AuthorKey::Name(n) => self.new_user(conn, Some(n), None, None, when)?,
        };
        store::record(
            conn,
            &[MapRow {
                source: self.source,
                kind: key.kind(),
                source_id: key.id().to_string(),
                target_id: Some(id),
                note: None,
            }],
        )?;
        self.authors.insert(key, id);
        Ok(Some(id))
    }

    /// Finds in a few statements the accounts of a batch's authors that
    /// earlier batches or runs made, or that have their e-mail, and makes the
    /// others, so that `author` then only reads the cache.
    pub(super) fn prefetch_authors(
        &mut self,
        conn: &mut DbConnection,
        authors: &[(&Author, i64)],
    ) -> Result<(), ImportError> {
        let mut wanted: Vec<(AuthorKey, Option<String>, i64)> = Vec::new();
        let mut seen = HashSet::new();
        for (a, when) in authors {
            if let Some((key, name)) = a {
                if self.authors.get(key).is_none() && seen.insert(key) {
                    wanted.push((key.clone(), name.clone(), *when));
                }
            }
        }
        if wanted.is_empty() {
            return Ok(());
        }
        for kind in ["email", "name", "user"] {
            let ids: Vec<&str> = wanted
                .iter()
                .filter(|(k, _, _)| k.kind() == kind)
                .map(|(k, _, _)| k.id())
                .collect();
            if ids.is_empty() {
                continue;
            }
            let found = store::lookup(conn, self.source, kind, &ids)?;
            for (key, _, _) in wanted.iter().filter(|(k, _, _)| k.kind() == kind) {
                if let Some(Some(target)) = found.get(key.id()) {
                    self.report.users_matched += 1;
                    self.authors.insert(key, *target);
                }
            }
        }
        wanted
            .retain(|(k, _, _)| !matches!(k, AuthorKey::User(_)) && self.authors.get(k).is_none());
        let emails: Vec<&str> = wanted
            .iter()
            .filter_map(|(k, _, _)| match k {
                AuthorKey::Email(e) => Some(e.as_str()),
                _ => None,
            })
            .collect();
        let existing = store::users_by_email(conn, &emails)?;
        let mut map = Vec::new();
        // The names most new accounts will get, checked in one statement.
        let bases: Vec<String> = wanted
            .iter()
            .filter(|(k, _, _)| !matches!(k, AuthorKey::Email(e) if existing.contains_key(e)))
            .map(|(_, name, _)| {
                text::username_skeleton(&names::base_username(name.as_deref().unwrap_or("")).0)
            })
            .collect();
        let bases: Vec<&str> = bases.iter().map(String::as_str).collect();
        let mut taken = store::skeletons_taken(conn, &bases)?;
        for (key, name, when) in &wanted {
            let id = match key {
                AuthorKey::Email(e) if existing.contains_key(e) => {
                    self.report.users_matched += 1;
                    existing[e]
                }
                AuthorKey::Email(e) => self.new_user_checked(
                    conn,
                    name.as_deref(),
                    None,
                    Some(e),
                    *when,
                    Some(&mut taken),
                )?,
                _ => self.new_user_checked(
                    conn,
                    name.as_deref(),
                    None,
                    None,
                    *when,
                    Some(&mut taken),
                )?,
            };
            map.push(MapRow {
                source: self.source,
                kind: key.kind(),
                source_id: key.id().to_string(),
                target_id: Some(id),
                note: None,
            });
            self.authors.insert(key, id);
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
