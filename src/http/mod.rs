//! The HTTP edge shared by every route: the JSON body reader (`body`), listing
//! parameters (`paging`), the caller's language (`locale`) and the middlewares every request passes
//! (`middleware`). Path ids and keys are typed in `domain` and read by
//! `web::Path`.

mod access_log;
mod body;
mod locale;
mod middleware;
mod paging;

pub use access_log::AccessLog;
pub use body::JsonBody;
pub use locale::RequestLocale;
pub use middleware::{finish_response, limit_requests, record_metrics, CallerLocale};
pub use paging::{page_of, query_map, Page, PageParams};
