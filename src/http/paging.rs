//! Listing parameters: the query string, `limit` and `cursor`, and where the
//! next page starts.

use crate::domain::cursor::Cursor;
use crate::error::{ApiError, FieldError, MsgArg};
use actix_web::HttpRequest;
use std::collections::HashMap;

/// The query string as a map (the last value wins); never fails.
pub fn query_map(req: &HttpRequest) -> HashMap<String, String> {
    url::form_urlencoded::parse(req.query_string().as_bytes())
        .into_owned()
        .collect()
}

/// `limit` (1–200, default 50) and `cursor` of a listing.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub limit: i64,
    pub after: Option<Cursor>,
}

impl Page {
    pub fn from_query(query: &HashMap<String, String>) -> Result<Page, ApiError> {
        let limit = match query.get("limit") {
            None => 50,
            Some(text) => match text.parse::<i64>() {
                Ok(n) if (1..=200).contains(&n) => n,
                _ => {
                    return Err(ApiError::Validation(vec![FieldError::new(
                        "limit",
                        "validation-out-of-range",
                    )
                    .with("min", MsgArg::Num(1))
                    .with("max", MsgArg::Num(200))]))
                }
            },
        };
        let after = match query.get("cursor") {
            None => None,
            Some(text) => Some(Cursor::decode(text).ok_or(ApiError::InvalidCursor)?),
        };
        Ok(Page { limit, after })
    }

    /// Fetch one row more than shown, to know whether a next page exists.
    pub fn fetch(&self) -> i64 {
        self.limit + 1
    }

    /// Cuts the extra row and says where the next page starts.
    pub fn finish<T>(
        &self,
        mut rows: Vec<T>,
        key: impl Fn(&T) -> Cursor,
    ) -> (Vec<T>, Option<String>) {
        if rows.len() as i64 > self.limit {
            rows.truncate(self.limit as usize);
            let next = rows.last().map(|r| key(r).encode());
            (rows, next)
        } else {
            (rows, None)
        }
    }
}
