//! HTTP handlers, one file per resource. Each reads: extract typed input
//! (a 404 or 422 otherwise), make one service call, shape the answer from
//! `views`. No SQL and no rules here.

pub mod accounts;
pub mod admin;
pub mod articles;
pub mod bans;
pub mod comments;
pub mod decisions;
pub mod docs;
pub mod dsa;
pub mod i18n;
pub mod live;
pub mod log;
pub mod mail;
pub mod notes;
pub mod notices;
pub mod ops;
pub mod queue;
pub mod reactions;
pub mod reports;
pub mod sso;
pub mod views;

use utoipa_actix_web::service_config::ServiceConfig;

/// Every route of docs/api.md under `/api/v1`, and the operations routes, each
/// registered with its OpenAPI description so the document cannot miss one.
/// A wrong method on a known path answers 405: see `app::unknown_route`.
pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(
        utoipa_actix_web::scope("/api/v1")
            .service(accounts::register)
            .service(accounts::login)
            .service(accounts::logout)
            .service(sso::sign_in)
            .service(accounts::me)
            .service(accounts::update_me)
            .service(accounts::erase)
            .service(accounts::change_password)
            .service(accounts::export)
            .service(mail::verify_email)
            .service(mail::resend_verification)
            .service(mail::password_reset)
            .service(mail::password_reset_confirm)
            .service(mail::unsubscribe_page)
            .service(mail::unsubscribe)
            .service(articles::get_article)
            .service(articles::list_comments)
            .service(articles::post_comment)
            .service(articles::counts)
            .service(live::events)
            .service(reports::report_comment)
            .service(notices::file_notice)
            .service(notices::mod_notices)
            .service(comments::get_comment)
            .service(comments::edit_comment)
            .service(comments::delete_comment)
            .service(reactions::add_reaction)
            .service(reactions::remove_reaction)
            .service(admin::articles::list_articles)
            .service(admin::articles::create_article)
            .service(admin::articles::update_article)
            .service(admin::users::list_users)
            .service(admin::users::update_user)
            .service(admin::settings::get_settings)
            .service(admin::settings::update_settings)
            .service(admin::words::list_words)
            .service(admin::words::add_word)
            .service(admin::words::test_words)
            .service(admin::words::remove_word)
            .service(admin::stats::stats)
            .service(admin::webhooks::list_webhooks)
            .service(admin::webhooks::create_webhook)
            .service(admin::webhooks::update_webhook)
            .service(admin::webhooks::remove_webhook)
            .service(admin::webhooks::list_deliveries)
            .service(queue::queue)
            .service(decisions::approve)
            .service(decisions::reject)
            .service(decisions::delete)
            .service(decisions::restore)
            .service(decisions::bulk)
            .service(decisions::feature)
            .service(decisions::unfeature)
            .service(notes::add_note)
            .service(notes::list_notes)
            .service(notes::remove_note)
            .service(bans::user)
            .service(bans::ban)
            .service(bans::unban)
            .service(log::log)
            .service(dsa::my_statements)
            .service(dsa::file_appeal)
            .service(dsa::mod_statements)
            .service(dsa::mod_appeals)
            .service(dsa::decide_appeal)
            .service(dsa::transparency)
            .service(i18n::strings),
    )
    .service(ops::healthz)
    .service(ops::readyz)
    .service(ops::metrics)
    .service(ops::openapi);
}
