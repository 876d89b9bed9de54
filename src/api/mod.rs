//! HTTP handlers, one file per resource: extract, check, call the service,
//! shape the answer.

pub mod accounts;
pub mod admin;
pub mod articles;
pub mod comments;
pub mod i18n;
pub mod moderation;
pub mod ops;
pub mod reports;
pub mod views;

use actix_web::web;

/// Every route of api.md under `/api/v1`, and the operations routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .route("/auth/register", web::post().to(accounts::register))
            .route("/auth/login", web::post().to(accounts::login))
            .route("/auth/logout", web::post().to(accounts::logout))
            .service(
                web::resource("/me")
                    .route(web::get().to(accounts::me))
                    .route(web::patch().to(accounts::update_me))
                    .route(web::delete().to(accounts::erase)),
            )
            .route("/me/password", web::put().to(accounts::change_password))
            .route("/me/export", web::get().to(accounts::export))
            .route("/articles/{key}", web::get().to(articles::get_article))
            .service(
                web::resource("/articles/{key}/comments")
                    .route(web::get().to(articles::list_comments))
                    .route(web::post().to(articles::post_comment)),
            )
            .route("/counts", web::get().to(articles::counts))
            .route("/comments/{id}/reports", web::post().to(reports::report_comment))
            .service(
                web::resource("/comments/{id}")
                    .route(web::get().to(comments::get_comment))
                    .route(web::patch().to(comments::edit_comment))
                    .route(web::delete().to(comments::delete_comment)),
            )
            .service(
                web::resource("/admin/articles")
                    .route(web::get().to(admin::list_articles))
                    .route(web::post().to(admin::create_article)),
            )
            .route(
                "/admin/articles/{key}",
                web::patch().to(admin::update_article),
            )
            .route("/admin/users", web::get().to(admin::list_users))
            .route("/admin/users/{id}", web::patch().to(admin::update_user))
            .service(
                web::resource("/admin/settings")
                    .route(web::get().to(admin::get_settings))
                    .route(web::patch().to(admin::update_settings)),
            )
            .service(
                web::resource("/admin/words")
                    .route(web::get().to(admin::list_words))
                    .route(web::post().to(admin::add_word)),
            )
            .route("/admin/words/{id}", web::delete().to(admin::remove_word))
            .route("/admin/stats", web::get().to(admin::stats))
            .route("/mod/queue", web::get().to(moderation::queue))
            .route("/mod/comments/{id}/approve", web::post().to(moderation::approve))
            .route("/mod/comments/{id}/reject", web::post().to(moderation::reject))
            .route("/mod/comments/{id}/delete", web::post().to(moderation::delete))
            .route("/mod/comments/{id}/restore", web::post().to(moderation::restore))
            .route("/mod/bulk", web::post().to(moderation::bulk))
            .route("/mod/users/{id}", web::get().to(moderation::user))
            .route("/mod/users/{id}/ban", web::post().to(moderation::ban))
            .route("/mod/users/{id}/unban", web::post().to(moderation::unban))
            .route("/mod/log", web::get().to(moderation::log))
            .route("/i18n/{locale}", web::get().to(i18n::strings)),
    )
    .route("/healthz", web::get().to(ops::healthz))
    .route("/readyz", web::get().to(ops::readyz));
}
