//! `GET /api`: the OpenAPI document as a page a person can read: every
//! operation with its method, path, summary and answers.

use super::{assets, content_security_policy, html, Strings};
use crate::api::docs::ApiDoc;
use crate::error::ApiError;
use crate::http::RequestLocale;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde_json::Value;

struct Operation {
    method: String,
    path: String,
    summary: String,
    answers: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "reference.html")]
struct Reference {
    s: Strings,
    css: String,
    groups: Vec<(String, Vec<Operation>)>,
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// Operations grouped by tag, in the document's order.
fn groups(doc: &Value) -> Vec<(String, Vec<Operation>)> {
    let mut groups: Vec<(String, Vec<Operation>)> = Vec::new();
    let Some(paths) = doc["paths"].as_object() else {
        return groups;
    };
    for (path, item) in paths {
        for method in METHODS {
            let Some(op) = item.get(method) else { continue };
            let tag = op["tags"][0].as_str().unwrap_or("other").to_string();
            let text = |v: &Value| v.as_str().unwrap_or("").to_string();
            let summary = [text(&op["summary"]), text(&op["description"])]
                .into_iter()
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            let answers = op["responses"]
                .as_object()
                .map(|r| {
                    r.iter()
                        .map(|(code, a)| (code.clone(), text(&a["description"])))
                        .collect()
                })
                .unwrap_or_default();
            let operation = Operation {
                method: method.to_uppercase(),
                path: path.clone(),
                summary,
                answers,
            };
            match groups.iter_mut().find(|(t, _)| *t == tag) {
                Some((_, ops)) => ops.push(operation),
                None => groups.push((tag, vec![operation])),
            }
        }
    }
    groups
}

pub async fn page(locale: RequestLocale, doc: web::Data<ApiDoc>) -> Result<HttpResponse, ApiError> {
    let locale = locale.page();
    let value: Value = serde_json::from_str(&doc.json)
        .map_err(|e| ApiError::failed("reading the OpenAPI document", e))?;
    let page = Reference {
        s: Strings(locale),
        css: assets::url("console.css"),
        groups: groups(&value),
    };
    let body = page
        .render()
        .map_err(|e| ApiError::failed("rendering a page", e))?;
    Ok(html(body, locale, &content_security_policy("'none'")))
}
