//! The strings a comment widget shows, per language.

use crate::error::ApiError;
use crate::i18n::{self, Locale};
use crate::service::ServiceError;
use crate::text::Direction;
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

/// Keyed by Fluent message identifier: a plain string, or for a counted
/// string its forms keyed by exact numbers (`=0`) and CLDR plural categories.
fn strings_schema() -> utoipa::openapi::Object {
    use utoipa::openapi::schema::{AdditionalProperties, ObjectBuilder, OneOfBuilder, Type};
    let text = ObjectBuilder::new().schema_type(Type::String);
    let forms = ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::RefOr(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .build()
                .into(),
        )));
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(AdditionalProperties::RefOr(
            utoipa::openapi::RefOr::T(utoipa::openapi::Schema::OneOf(
                OneOfBuilder::new().item(text).item(forms).build(),
            )),
        )))
        .build()
}

/// Every string a comment widget needs, keyed by Fluent message identifier.
#[derive(Serialize, ToSchema)]
pub struct WidgetStrings {
    #[schema(value_type = Locale)]
    locale: &'static str,
    #[schema(value_type = Direction)]
    dir: &'static str,
    #[schema(schema_with = strings_schema)]
    strings: serde_json::Map<String, serde_json::Value>,
}

#[utoipa::path(
    tag = "i18n",
    params(("locale" = inline(Locale), Path, description = "fr, ar or en")),
    responses(
        (status = 200, description = "The widget's strings", body = WidgetStrings),
        (status = 404, description = "Not a supported language"),
    ),
)]
#[get("/i18n/{locale}")]
pub async fn strings(locale: web::Path<String>) -> Result<HttpResponse, ApiError> {
    // Exactly the codes the document lists: a path names one resource, so
    // `/i18n/FR` is not found rather than a second address for `/i18n/fr`.
    let locale = Locale::ALL
        .into_iter()
        .find(|l| l.as_str() == locale.as_str())
        .ok_or(ServiceError::NotFound)?;
    Ok(HttpResponse::Ok().json(WidgetStrings {
        locale: locale.as_str(),
        dir: locale.dir(),
        strings: i18n::widget_strings(locale),
    }))
}
