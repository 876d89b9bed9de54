//! Listing parameters: the query string, and `limit` and `cursor`, the two
//! query parameters of every listing, parsed once (`page_of`) and documented
//! once (`PageParams`). The cursor itself is `domain::cursor`.

use crate::domain::cursor::Cursor;
use crate::domain::fields::CURSOR_PATTERN;
use crate::error::{ApiError, FieldError};
use actix_web::HttpRequest;
use std::collections::HashMap;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, SchemaType, Type};
use utoipa::openapi::Required;

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

/// `limit` and `cursor` of the request: 422 for a `limit` outside 1–200,
/// 400 for a cursor that does not decode. Called in the handler's body, not
/// as an extractor: extractors finish in any order, and a caller who may
/// not list must hear 401/403 before anything about the query.
pub fn page_of(req: &HttpRequest) -> Result<Page, ApiError> {
    Page::from_query(&query_map(req))
}

/// What `Page::from_query` accepts.
const DEFAULT_LIMIT: i64 = Page::DEFAULT_LIMIT;
const MAX_LIMIT: i64 = Page::MAX_LIMIT;

/// The paging parameters as the OpenAPI document shows them.
pub struct PageParams;

impl utoipa::IntoParams for PageParams {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        let limit = ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::Integer))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
            .minimum(Some(1))
            .maximum(Some(MAX_LIMIT));
        let cursor = ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .pattern(Some(CURSOR_PATTERN));
        vec![
            ParameterBuilder::new()
                .name("limit")
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some(format!("Default {}", DEFAULT_LIMIT)))
                .schema(Some(limit))
                .build(),
            ParameterBuilder::new()
                .name("cursor")
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some("`next_cursor` of the previous page"))
                .schema(Some(cursor))
                .build(),
        ]
    }
}
