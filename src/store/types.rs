//! How the domain's text enums are stored: as their text, on both backends
//! and through the backend enum, so rows hold `Role`, `CommentStatus`, …
//! rather than strings. An unknown stored value fails the query (logged
//! here with its column and value; clients see a 500 `internal`), never a
//! quiet default. The stored text is the enums' `as_str`: no migration.

use super::{MultiBackend, MultiRawValue};
use crate::domain::dsa::{
    AppealStatus, AutomatedDecision, Decision, GroundKind, NoticeCategory, NoticeOutcome, Source,
};
use crate::domain::{
    AppealId, ArticleId, CommentId, CommentStatus, DeletedBy, LogAction, ModerationMode, NoteId,
    Reasons, Role, StatementId, TargetType, UserId, WebhookId, WordId,
};
use crate::i18n::Locale;
use crate::text::WordKind;
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, Queryable};
use diesel::expression::AsExpression;
use diesel::pg::{Pg, PgValue};
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::{BigInt, Nullable, SingleValue, Text};
use diesel::sqlite::{Sqlite, SqliteValue};
use std::io::Write;

/// The error of a stored value no variant has, logged where it is found.
fn unknown(type_name: &str, columns: &str, raw: &str) -> Box<dyn std::error::Error + Send + Sync> {
    tracing::error!(column = columns, value = raw, "unknown {type_name} stored");
    format!("unknown {type_name} `{raw}` stored in {columns}").into()
}

fn utf8(value: PgValue<'_>) -> deserialize::Result<&str> {
    Ok(std::str::from_utf8(value.as_bytes())?)
}

/// What every stored text type gets: reading on each backend (its `parse`
/// deciding), and being a row field or a bound value of `Text` or
/// `Nullable<Text>` as diesel's `FromSqlRow`/`AsExpression` derives make.
macro_rules! stored_as_text {
    ($ty:ty, $columns:literal) => {
        impl FromSql<Text, Sqlite> for $ty {
            fn from_sql(mut value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
                let raw = value.read_text();
                <$ty>::parse(raw).ok_or_else(|| unknown(stringify!($ty), $columns, raw))
            }
        }

        impl FromSql<Text, Pg> for $ty {
            fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
                let raw = utf8(value)?;
                <$ty>::parse(raw).ok_or_else(|| unknown(stringify!($ty), $columns, raw))
            }
        }

        impl FromSql<Text, MultiBackend> for $ty {
            fn from_sql(value: MultiRawValue<'_>) -> deserialize::Result<Self> {
                value.from_sql::<$ty, Text>()
            }
        }

        impl ToSql<Text, MultiBackend> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                out.set_value((Text, self));
                Ok(IsNull::No)
            }
        }

        impl<DB, ST> Queryable<ST, DB> for $ty
        where
            DB: Backend,
            ST: SingleValue,
            Self: FromSql<ST, DB>,
        {
            type Row = Self;

            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }

        impl<DB: Backend> ToSql<Nullable<Text>, DB> for $ty
        where
            Self: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                ToSql::<Text, DB>::to_sql(self, out)
            }
        }

        stored_as_text!(@expression $ty, Text);
        stored_as_text!(@expression $ty, Nullable<Text>);
    };
    (@expression $ty:ty, $st:ty) => {
        impl AsExpression<$st> for $ty {
            type Expression = diesel::internal::derives::as_expression::Bound<$st, Self>;

            fn as_expression(self) -> Self::Expression {
                diesel::internal::derives::as_expression::Bound::new(self)
            }
        }

        impl<'a> AsExpression<$st> for &'a $ty {
            type Expression = diesel::internal::derives::as_expression::Bound<$st, Self>;

            fn as_expression(self) -> Self::Expression {
                diesel::internal::derives::as_expression::Bound::new(self)
            }
        }

        impl<'a, 'b> AsExpression<$st> for &'b &'a $ty {
            type Expression = diesel::internal::derives::as_expression::Bound<$st, Self>;

            fn as_expression(self) -> Self::Expression {
                diesel::internal::derives::as_expression::Bound::new(self)
            }
        }
    };
}

/// An enum with a `&'static str` for each variant: written as that text.
macro_rules! text_enum_columns {
    ($($ty:ty => $columns:literal),+ $(,)?) => {$(
        stored_as_text!($ty, $columns);

        impl ToSql<Text, Sqlite> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                out.set_value(self.as_str());
                Ok(IsNull::No)
            }
        }

        impl ToSql<Text, Pg> for $ty {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                out.write_all(self.as_str().as_bytes())?;
                Ok(IsNull::No)
            }
        }
    )+};
}

text_enum_columns!(
    Role => "users.role",
    CommentStatus => "comments.status",
    DeletedBy => "comments.deleted_by",
    ModerationMode => "articles.moderation, settings.default_moderation",
    ReportReason => "reports.reason",
    LogAction => "moderation_log.action",
    TargetType => "moderation_log.target_type",
    Locale => "users.locale, notices.locale",
    GroundKind => "statements.ground_type",
    Decision => "statements.decision",
    AutomatedDecision => "statements.automated_decision",
    Source => "statements.source",
    AppealStatus => "statements.appeal_status, appeals.status",
    NoticeCategory => "notices.category",
    NoticeOutcome => "notices.outcome",
    WordKind => "words.kind",
);

use crate::domain::ReportReason;

stored_as_text!(Reasons, "comments.reasons");

impl ToSql<Text, Sqlite> for Reasons {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
        out.set_value(self.to_text());
        Ok(IsNull::No)
    }
}

impl ToSql<Text, Pg> for Reasons {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        for (i, reason) in self.0.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            out.write_all(reason.as_str().as_bytes())?;
        }
        Ok(IsNull::No)
    }
}

/// Ids are stored as the integers they wrap, so a typed id binds and reads
/// as a `BigInt` column (`comments::id.eq(id)`, `table.find(id)`).
macro_rules! id_columns {
    ($($ty:ident),+ $(,)?) => {$(
        impl<DB: Backend> FromSql<BigInt, DB> for $ty
        where
            i64: FromSql<BigInt, DB>,
        {
            fn from_sql(value: DB::RawValue<'_>) -> deserialize::Result<Self> {
                i64::from_sql(value).map($ty)
            }
        }

        impl<DB: Backend> ToSql<BigInt, DB> for $ty
        where
            i64: ToSql<BigInt, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                ToSql::<BigInt, DB>::to_sql(&self.0, out)
            }
        }

        impl<DB, ST> Queryable<ST, DB> for $ty
        where
            DB: Backend,
            ST: SingleValue,
            Self: FromSql<ST, DB>,
        {
            type Row = Self;

            fn build(row: Self) -> deserialize::Result<Self> {
                Ok(row)
            }
        }

        impl<DB: Backend> ToSql<Nullable<BigInt>, DB> for $ty
        where
            Self: ToSql<BigInt, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                ToSql::<BigInt, DB>::to_sql(self, out)
            }
        }

        stored_as_text!(@expression $ty, BigInt);
        stored_as_text!(@expression $ty, Nullable<BigInt>);
    )+};
}

id_columns!(
    ArticleId,
    CommentId,
    UserId,
    NoteId,
    StatementId,
    AppealId,
    WordId,
    WebhookId
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Reason;

    use crate::store::DbConnection;
    use diesel::connection::Connection;
    use diesel::dsl::sql;
    use std::sync::{Arc, Mutex};

    /// What `read` logged, and what it returned.
    fn logged<T>(read: impl FnOnce() -> T) -> (String, T) {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || Writer(sink.clone()))
            .finish();
        let out = tracing::subscriber::with_default(subscriber, read);
        let text = String::from_utf8(buffer.lock().unwrap().clone()).unwrap();
        (text, out)
    }

    struct Writer(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Writer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn read_role(conn: &mut DbConnection, stored: &str) -> QueryResult<Role> {
        diesel::select(sql::<Text>(&format!("'{stored}'"))).get_result(conn)
    }

    use diesel::prelude::*;

    #[test]
    fn a_known_value_reads_as_its_variant_through_the_backend_enum() {
        let mut conn = DbConnection::Sqlite(SqliteConnection::establish(":memory:").unwrap());
        assert_eq!(read_role(&mut conn, "moderator").unwrap(), Role::Moderator);
        let status: Option<CommentStatus> = diesel::select(sql::<Nullable<Text>>("NULL"))
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(status, None);
    }

    #[test]
    fn an_unknown_stored_value_is_a_logged_error_not_a_default() {
        let mut conn = DbConnection::Sqlite(SqliteConnection::establish(":memory:").unwrap());
        let (log, read) = logged(|| read_role(&mut conn, "overlord"));
        assert!(
            matches!(read, Err(diesel::result::Error::DeserializationError(_))),
            "{read:?}"
        );
        assert!(log.contains("ERROR"), "{log}");
        assert!(log.contains("users.role"), "{log}");
        assert!(log.contains("overlord"), "{log}");
        // On the backend's own connection too (`store::on_backend!`).
        let mut sqlite = SqliteConnection::establish(":memory:").unwrap();
        let (log, read) = logged(|| {
            diesel::select(sql::<Text>("'limbo'")).get_result::<CommentStatus>(&mut sqlite)
        });
        assert!(read.is_err(), "{read:?}");
        assert!(
            log.contains("comments.status") && log.contains("limbo"),
            "{log}"
        );
    }

    #[test]
    fn reasons_read_back_as_written() {
        let reasons = Reasons(vec![Reason::Reports, Reason::Edited]);
        assert_eq!(reasons.to_text(), "reports,edited");
        assert_eq!(Reasons::parse("reports,edited"), Some(reasons));
        assert_eq!(Reasons::parse(""), Some(Reasons::default()));
        assert_eq!(Reasons::parse("reports,bogus"), None);
    }
}
