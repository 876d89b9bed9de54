//! Listing parameters: the query string, `limit` and `cursor`, and where the
//! next page starts.

use crate::domain::cursor::Cursor;
use crate::error::{ApiError, FieldError};
use actix_web::HttpRequest;
use std::collections::HashMap;

/// The query string as a map (the last value wins); never fails.
pub fn query_map(req: &HttpRequest) -> HashMap<String, String> {
    url::form_urlencoded::parse(req.query_string().as_bytes())
        .into_owned()
        .collect()
}

pub use crate::domain::cursor::Page;

/// `limit` and `cursor` from the query string: 422 for a limit out of
/// bounds, 400 for a cursor that does not decode.
impl Page {
    pub fn from_query(query: &HashMap<String, String>) -> Result<Page, ApiError> {
        let limit = match query.get("limit") {
            None => Page::DEFAULT_LIMIT,
            Some(text) => match text.parse::<i64>() {
                Ok(n) if (1..=Page::MAX_LIMIT).contains(&n) => n,
                _ => return Err(FieldError::out_of_range("limit", 1, Page::MAX_LIMIT).into()),
            },
        };
        let after = match query.get("cursor") {
            None => None,
            Some(text) => Some(Cursor::decode(text).ok_or(ApiError::InvalidCursor)?),
        };
        Ok(Page { limit, after })
    }
}
