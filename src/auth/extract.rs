//! Who is calling: `CurrentUser` (401 without a live token), `ActiveUser`
//! (signed in and not banned), `MaybeUser` (anonymous is fine), `Staff`
//! (moderators and admins not banned) and `Admin`.

use super::token::hash_token;
use crate::domain::Failure;
use crate::domain::Role;
use crate::error::ApiError;
use crate::http::CallerLocale;
use crate::service::accounts::ensure_not_banned;
use crate::service::ServiceError;
use crate::state::AppState;
use crate::store::models::UserRow;
use actix_web::{dev::Payload, web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;

/// A signed-in caller, read from the database, or from `AppState::sessions`
/// while nothing has been committed since (`Db::change_epoch`), so that a
/// sign-out, ban or role change applies at once.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: UserRow,
    pub token_hash: String,
    /// The change epoch read before the lookup (`service::accounts::Session`).
    pub epoch: Option<u64>,
}

impl CurrentUser {
    pub fn id(&self) -> i64 {
        self.user.id
    }

    pub fn role(&self) -> Role {
        self.user.role
    }
}

fn bearer(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get("Authorization")?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim().to_string())
        .filter(|t| !t.is_empty() && t.len() <= 128)
}

async fn lookup(req: HttpRequest) -> Result<Option<CurrentUser>, ApiError> {
    let Some(token) = bearer(&req) else {
        return Ok(None);
    };
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| Failure::new("the application state is missing"))?
        .clone();
    let token_hash = hash_token(&token);
    let session = crate::service::accounts::session_user(
        &state.db,
        &state.sessions,
        state.clock.as_ref(),
        &token_hash,
    )
    .await?;
    Ok(session.map(|session| {
        req.extensions_mut()
            .insert(CallerLocale(session.user.locale));
        CurrentUser {
            user: session.user,
            token_hash,
            epoch: session.epoch,
        }
    }))
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(lookup(req).await?.ok_or(ServiceError::Unauthenticated)?) })
    }
}

/// The caller if a live token came with the request; an unknown or expired
/// token on a public route reads as anonymous.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

impl MaybeUser {
    pub fn id(&self) -> Option<i64> {
        self.0.as_ref().map(CurrentUser::id)
    }

    pub fn is_staff(&self) -> bool {
        self.0.as_ref().is_some_and(|u| u.role().is_staff())
    }
}

impl FromRequest for MaybeUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(MaybeUser(lookup(req).await?)) })
    }
}

/// A signed-in caller whose role `allowed` accepts (else 403 forbidden) and
/// who is not under a ban (else 403 banned), checked in that order.
fn signed_in_as(
    req: &HttpRequest,
    payload: &mut Payload,
    allowed: fn(Role) -> bool,
) -> LocalBoxFuture<'static, Result<CurrentUser, ApiError>> {
    let user = CurrentUser::from_request(req, payload);
    Box::pin(async move {
        let user = user.await?;
        if !allowed(user.role()) {
            return Err(ServiceError::Forbidden.into());
        }
        ensure_not_banned(&user.user)?;
        Ok(user)
    })
}

/// The extractor for callers of one kind: `$name(CurrentUser)`.
macro_rules! caller_kind {
    ($(#[$m:meta])* $name:ident, $allowed:expr) => {
        $(#[$m])*
        #[derive(Debug, Clone)]
        pub struct $name(pub CurrentUser);

        impl std::ops::Deref for $name {
            type Target = CurrentUser;

            fn deref(&self) -> &CurrentUser {
                &self.0
            }
        }

        impl FromRequest for $name {
            type Error = ApiError;
            type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

            fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
                let user = signed_in_as(req, payload, $allowed);
                Box::pin(async move { Ok($name(user.await?)) })
            }
        }
    };
}

caller_kind!(
    /// A signed-in caller not under a ban (401, 403 banned).
    ActiveUser,
    |_| true
);

caller_kind!(
    /// A moderator or admin not under a ban (401, 403 forbidden, 403 banned).
    Staff,
    Role::is_staff
);

caller_kind!(
    /// An admin not under a ban.
    Admin,
    |role| role == Role::Admin
);
