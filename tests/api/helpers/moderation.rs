//! Reading what moderation pages and lists hold.

use serde_json::Value;

/// The ids of a list of comments, in order.
pub fn ids_of(comments: &[Value]) -> Vec<i64> {
    comments
        .iter()
        .map(|c| c["id"].as_i64().expect("comment id"))
        .collect()
}

/// A comment of a signed-in caller's thread page without the caller's own
/// `reacted`, to compare with the comment as other routes answer it.
pub fn without_reacted(comment: &Value) -> Value {
    let mut c = comment.clone();
    if let Some(fields) = c.as_object_mut() {
        fields.remove("reacted");
    }
    c
}

/// The comment ids of a queue page, in order.
pub fn queue_ids(page: &Value) -> Vec<i64> {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["comment"]["id"].as_i64().expect("comment id"))
        .collect()
}

/// The queue item of comment `id` on a page.
#[track_caller]
pub fn queue_item(page: &Value, id: i64) -> Value {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["comment"]["id"] == id)
        .unwrap_or_else(|| panic!("comment {id} not in the queue: {page}"))
        .clone()
}

/// An array of strings as owned strings.
#[track_caller]
pub fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap_or_else(|| panic!("an array: {value}"))
        .iter()
        .map(|v| v.as_str().expect("a string").to_string())
        .collect()
}

/// An RFC 3339 instant `ms` milliseconds from now.
pub fn from_now(ms: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::milliseconds(ms))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
