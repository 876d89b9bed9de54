//! The HTTP edge shared by every route: the JSON body reader (`body`), listing
//! parameters (`paging`), path segments (`path`) and the middlewares every
//! request passes (`middleware`).

mod body;
mod middleware;
mod paging;
mod path;

pub use body::JsonBody;
pub use middleware::{finish_response, limit_requests, record_metrics, CallerLocale};
pub use paging::{query_map, Page};
pub use path::path_id;
