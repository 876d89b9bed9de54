//! The live stream's contract: the OpenAPI document describes one event of
//! `GET /articles/{key}/events` (what schemathesis checks each event
//! against), and every event the stream sends is one it describes.

use crate::helpers::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(5);

/// Follows a local `$ref` of the document.
fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => resolve(doc, doc.pointer(r.trim_start_matches('#')).expect("ref")),
        None => schema,
    }
}

/// What the document says of each event name: the data's schema.
fn documented_events(doc: &Value) -> BTreeMap<String, Value> {
    let op = &doc["paths"]["/api/v1/articles/{key}/events"]["get"];
    let event = &op["responses"]["200"]["content"]["text/event-stream"]["schema"];
    let mut out = BTreeMap::new();
    for variant in event["oneOf"]
        .as_array()
        .expect("one schema per kind of event")
    {
        assert_eq!(variant["type"], "object");
        assert_eq!(variant["required"], json!(["event", "data"]));
        assert_eq!(variant["additionalProperties"], false);
        let data = &variant["properties"]["data"];
        assert_eq!(data["type"], "string");
        assert_eq!(data["contentMediaType"], "application/json");
        for name in variant["properties"]["event"]["enum"].as_array().unwrap() {
            let name = name.as_str().unwrap().to_string();
            assert!(out.insert(name, data["contentSchema"].clone()).is_none());
        }
    }
    out
}

/// A small check of a JSON value against an object schema: the required
/// properties present, no other than those listed when none may be added,
/// and integers where integers are said.
#[track_caller]
fn conforms(doc: &Value, schema: &Value, value: &Value, what: &str) {
    let schema = resolve(doc, schema);
    let object = value
        .as_object()
        .unwrap_or_else(|| panic!("{what}: {value}"));
    for name in schema["required"].as_array().into_iter().flatten() {
        assert!(
            object.contains_key(name.as_str().unwrap()),
            "{what}: {name} missing from {value}"
        );
    }
    let properties = schema["properties"].as_object();
    if schema["additionalProperties"] == false {
        for key in object.keys() {
            assert!(
                properties.is_some_and(|p| p.contains_key(key)),
                "{what}: {key} is not documented"
            );
        }
    }
    if let Some(max) = schema["maxProperties"].as_u64() {
        assert!(object.len() as u64 <= max, "{what}: {value}");
    }
    for (key, property) in properties.into_iter().flatten() {
        if resolve(doc, property)["type"] == "integer" {
            if let Some(v) = object.get(key) {
                assert!(v.is_i64(), "{what}: {key} = {v}");
            }
        }
    }
}

#[tokio::test]
async fn the_document_describes_each_event_and_the_stream_sends_only_those() {
    let (app, cast) = TestApp::with_cast().await;
    let doc = app
        .get("//openapi.json", None)
        .await
        .assert_status(200)
        .clone();
    let events = documented_events(&doc);
    assert_eq!(
        events.keys().collect::<Vec<_>>(),
        ["comment", "count", "reset", "tombstone"]
    );
    let params = doc["paths"]["/api/v1/articles/{key}/events"]["get"]["parameters"]
        .as_array()
        .unwrap();
    let last_event = params
        .iter()
        .find(|p| p["name"] == "Last-Event-ID")
        .unwrap();
    assert_eq!(last_event["schema"]["pattern"], "^(evt_[0-9A-Fa-f]{32})?$");

    // Every kind of event: shown, edited, taken down, counted, reset.
    let mut seen: Vec<SseEvent> = Vec::new();
    let mut sse = app.live("a1").await;
    let id = cast.reader.comment_id("a1", "première version").await;
    cast.reader
        .patch(
            &format!("/comments/{id}"),
            json!({"body": "seconde version"}),
        )
        .await
        .assert_status(200);
    cast.moderator.reject(id).await.assert_status(200);
    // Every event up to the take-down and the count after it.
    while !matches!(&seen[..], [.., t, c] if t.event == "tombstone" && c.event == "count") {
        seen.push(sse.next(WAIT).await.expect("the changes come"));
    }
    let first = seen.iter().find(|e| e.event == "comment").unwrap().clone();
    // The same history replayed, and a reset for an id never given.
    let mut replay = app
        .live_with("a1", &[("Last-Event-ID", first.id.as_deref().unwrap())])
        .await
        .map_err(|r| r.body)
        .expect("stream");
    seen.extend(replay.events_for(Duration::from_millis(500)).await);
    let unknown = format!("evt_{}", "0".repeat(32));
    let mut reset = app
        .live_with("a1", &[("Last-Event-ID", &unknown)])
        .await
        .map_err(|r| r.body)
        .expect("stream");
    seen.push(reset.next_named("reset", WAIT).await.expect("reset"));

    let mut kinds = std::collections::BTreeSet::new();
    for event in seen
        .iter()
        .filter(|e| e.comment.is_none() && !e.data.is_empty())
    {
        let data = events
            .get(&event.event)
            .unwrap_or_else(|| panic!("undocumented event {:?}", event.event));
        if let Some(id) = &event.id {
            assert!(
                id.len() == 36
                    && id.starts_with("evt_")
                    && id[4..]
                        .bytes()
                        .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()),
                "{id}"
            );
        }
        let value: Value = serde_json::from_str(&event.data).expect("data is JSON");
        conforms(&doc, data, &value, &event.event);
        kinds.insert(event.event.clone());
    }
    assert_eq!(
        kinds.iter().collect::<Vec<_>>(),
        ["comment", "count", "reset", "tombstone"]
    );
}

#[tokio::test]
async fn an_empty_last_event_id_is_no_id() {
    let (app, _cast) = TestApp::with_cast().await;
    for empty in ["", " "] {
        let mut sse = app
            .live_with("a1", &[("Last-Event-ID", empty)])
            .await
            .map_err(|r| r.body)
            .expect("an empty id opens the stream as no id does");
        let count = sse.next_named("count", WAIT).await.expect("the count");
        assert_eq!(count.json()["comment_count"], 0);
    }
    let res = app
        .send_with(
            reqwest::Method::GET,
            "/articles/a1/events",
            None,
            None,
            &[("Last-Event-ID", "evt_1")],
        )
        .await;
    res.assert_error(422, "validation_failed");
}
