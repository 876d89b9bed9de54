//! HTTP handlers, one file per resource: extract, check, call the service,
//! shape the answer.

pub mod accounts;
pub mod admin;
pub mod articles;
pub mod comments;
pub mod docs;
pub mod i18n;
pub mod moderation;
pub mod ops;
pub mod reports;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

/// Every route of api.md under `/api/v1`, and the operations routes, each
/// registered with its OpenAPI description so the document cannot miss one.
/// A wrong method on a known path answers 405: see `app::unknown_route`.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/api/v1")
            .service(accounts::register)
            .service(accounts::login)
            .service(accounts::logout)
            .service(accounts::me)
            .service(accounts::update_me)
            .service(accounts::erase)
            .service(accounts::change_password)
            .service(accounts::export)
            .service(articles::get_article)
            .service(articles::list_comments)
            .service(articles::post_comment)
            .service(articles::counts)
            .service(reports::report_comment)
            .service(comments::get_comment)
            .service(comments::edit_comment)
            .service(comments::delete_comment)
            .service(admin::list_articles)
            .service(admin::create_article)
            .service(admin::update_article)
            .service(admin::list_users)
            .service(admin::update_user)
            .service(admin::get_settings)
            .service(admin::update_settings)
            .service(admin::list_words)
            .service(admin::add_word)
            .service(admin::test_words)
            .service(admin::remove_word)
            .service(admin::stats)
            .service(moderation::queue)
            .service(moderation::approve)
            .service(moderation::reject)
            .service(moderation::delete)
            .service(moderation::restore)
            .service(moderation::bulk)
            .service(moderation::user)
            .service(moderation::ban)
            .service(moderation::unban)
            .service(moderation::log)
            .service(i18n::strings),
    )
    .service(ops::healthz)
    .service(ops::readyz)
    .service(ops::metrics)
    .service(ops::openapi);
}
