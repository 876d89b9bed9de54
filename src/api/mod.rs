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

/// Every route of api.md under `/api/v1`, and the operations routes. Each path
/// is a resource, so a wrong method answers 405 rather than falling through to 404.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::scope("/api/v1")
            .service(web::resource("/auth/register").route(web::post().to(accounts::register)))
            .service(web::resource("/auth/login").route(web::post().to(accounts::login)))
            .service(web::resource("/auth/logout").route(web::post().to(accounts::logout)))
            .service(
                web::resource("/me")
                    .route(web::get().to(accounts::me))
                    .route(web::patch().to(accounts::update_me))
                    .route(web::delete().to(accounts::erase)),
            )
            .service(web::resource("/me/password").route(web::put().to(accounts::change_password)))
            .service(web::resource("/me/export").route(web::get().to(accounts::export)))
            .service(web::resource("/articles/{key}").route(web::get().to(articles::get_article)))
            .service(
                web::resource("/articles/{key}/comments")
                    .route(web::get().to(articles::list_comments))
                    .route(web::post().to(articles::post_comment)),
            )
            .service(web::resource("/counts").route(web::get().to(articles::counts)))
            .service(
                web::resource("/comments/{id}/reports")
                    .route(web::post().to(reports::report_comment)),
            )
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
            .service(
                web::resource("/admin/articles/{key}")
                    .route(web::patch().to(admin::update_article)),
            )
            .service(web::resource("/admin/users").route(web::get().to(admin::list_users)))
            .service(web::resource("/admin/users/{id}").route(web::patch().to(admin::update_user)))
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
            .service(web::resource("/admin/words/{id}").route(web::delete().to(admin::remove_word)))
            .service(web::resource("/admin/stats").route(web::get().to(admin::stats)))
            .service(web::resource("/mod/queue").route(web::get().to(moderation::queue)))
            .service(
                web::resource("/mod/comments/{id}/approve")
                    .route(web::post().to(moderation::approve)),
            )
            .service(
                web::resource("/mod/comments/{id}/reject")
                    .route(web::post().to(moderation::reject)),
            )
            .service(
                web::resource("/mod/comments/{id}/delete")
                    .route(web::post().to(moderation::delete)),
            )
            .service(
                web::resource("/mod/comments/{id}/restore")
                    .route(web::post().to(moderation::restore)),
            )
            .service(web::resource("/mod/bulk").route(web::post().to(moderation::bulk)))
            .service(web::resource("/mod/users/{id}").route(web::get().to(moderation::user)))
            .service(web::resource("/mod/users/{id}/ban").route(web::post().to(moderation::ban)))
            .service(
                web::resource("/mod/users/{id}/unban").route(web::post().to(moderation::unban)),
            )
            .service(web::resource("/mod/log").route(web::get().to(moderation::log)))
            .service(web::resource("/i18n/{locale}").route(web::get().to(i18n::strings))),
    )
    .service(web::resource("/healthz").route(web::get().to(ops::healthz)))
    .service(web::resource("/readyz").route(web::get().to(ops::readyz)))
    .service(web::resource("/metrics").route(web::get().to(ops::metrics)));
}
