//! The tables, written by hand with types both backends share (see migrations/).

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        username_skeleton -> Text,
        email -> Nullable<Text>,
        password_hash -> Text,
        display_name -> Nullable<Text>,
        role -> Text,
        locale -> Text,
        banned_at -> Nullable<BigInt>,
        banned_until -> Nullable<BigInt>,
        ban_reason -> Nullable<Text>,
        created_at -> BigInt,
        erased_at -> Nullable<BigInt>,
        approved_count -> BigInt,
        rejected_count -> BigInt,
        email_verified_at -> Nullable<BigInt>,
        notify_replies -> Bool,
        notify_queue -> Bool,
        queue_digest_at -> Nullable<BigInt>,
        badges -> Text,
        trusted_flagger -> Bool,
    }
}

diesel::table! {
    sessions (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
    }
}

diesel::table! {
    articles (id) {
        id -> BigInt,
        key -> Text,
        title -> Text,
        url -> Nullable<Text>,
        comments_open -> Bool,
        moderation -> Nullable<Text>,
        created_at -> BigInt,
        version -> BigInt,
        approved_count -> BigInt,
    }
}

diesel::table! {
    comments (id) {
        id -> BigInt,
        article_id -> BigInt,
        parent_id -> Nullable<BigInt>,
        author_id -> Nullable<BigInt>,
        body -> Text,
        html -> Text,
        dir -> Text,
        status -> Text,
        deleted_by -> Nullable<Text>,
        reasons -> Text,
        depth -> Integer,
        dup_key -> Text,
        created_at -> BigInt,
        edited_at -> Nullable<BigInt>,
        word_matches -> Text,
        reactions -> BigInt,
        featured_at -> Nullable<BigInt>,
        featured_by -> Nullable<BigInt>,
    }
}

diesel::table! {
    reactions (comment_id, user_id) {
        comment_id -> BigInt,
        user_id -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    user_notes (id) {
        id -> BigInt,
        user_id -> BigInt,
        author_id -> BigInt,
        text -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    reports (id) {
        id -> BigInt,
        comment_id -> BigInt,
        reporter_id -> BigInt,
        reason -> Text,
        note -> Nullable<Text>,
        snapshot -> Text,
        created_at -> BigInt,
        resolved_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    moderation_log (id) {
        id -> BigInt,
        actor_id -> BigInt,
        action -> Text,
        target_type -> Text,
        target_id -> Nullable<Text>,
        reason -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::table! {
    words (id) {
        id -> BigInt,
        pattern -> Text,
        folded -> Text,
        kind -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    settings (id) {
        id -> BigInt,
        default_moderation -> Text,
        edit_window_minutes -> BigInt,
        report_threshold -> BigInt,
        trusted_after -> BigInt,
        max_links -> BigInt,
        auto_create_articles -> Bool,
        words_version -> BigInt,
    }
}

diesel::table! {
    events (id) {
        id -> BigInt,
        uid -> Text,
        kind -> Text,
        data -> Text,
        created_at -> BigInt,
    }
}

diesel::table! {
    webhooks (id) {
        id -> BigInt,
        url -> Text,
        events -> Text,
        secret -> Text,
        enabled -> Bool,
        failures -> BigInt,
        disabled_at -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> BigInt,
        webhook_id -> BigInt,
        event_id -> BigInt,
        state -> Text,
        attempts -> BigInt,
        next_attempt_at -> BigInt,
        created_at -> BigInt,
        done_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> BigInt,
        webhook_id -> BigInt,
        delivery_id -> BigInt,
        status_code -> Nullable<Integer>,
        error -> Nullable<Text>,
        ok -> Bool,
        attempted_at -> BigInt,
    }
}

diesel::table! {
    account_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        purpose -> Text,
        token_hash -> Text,
        created_at -> BigInt,
        expires_at -> BigInt,
        used_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    mails (id) {
        id -> BigInt,
        dedup_key -> Text,
        kind -> Text,
        user_id -> Nullable<BigInt>,
        recipient -> Text,
        subject -> Text,
        text_body -> Text,
        html_body -> Text,
        unsubscribe_url -> Nullable<Text>,
        state -> Text,
        attempts -> BigInt,
        next_attempt_at -> BigInt,
        last_error -> Nullable<Text>,
        created_at -> BigInt,
        sent_at -> Nullable<BigInt>,
    }
}

diesel::table! {
    mail_state (id) {
        id -> BigInt,
        last_event_id -> BigInt,
        queue_changed_at -> BigInt,
        secret -> Text,
    }
}

diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(account_tokens -> users (user_id));
diesel::joinable!(comments -> articles (article_id));
diesel::joinable!(comments -> users (author_id));
diesel::joinable!(reports -> comments (comment_id));
diesel::joinable!(reactions -> comments (comment_id));
diesel::joinable!(moderation_log -> users (actor_id));
diesel::joinable!(user_notes -> users (author_id));
diesel::joinable!(webhook_deliveries -> events (event_id));
diesel::joinable!(webhook_deliveries -> webhooks (webhook_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));

diesel::allow_tables_to_appear_in_same_query!(
    users,
    sessions,
    articles,
    comments,
    reports,
    moderation_log,
    words,
    settings,
    events,
    webhooks,
    webhook_deliveries,
    webhook_attempts,
    account_tokens,
    mails,
    mail_state,
    reactions,
    user_notes,
);

diesel::table! {
    import_map (source, kind, source_id) {
        source -> Text,
        kind -> Text,
        source_id -> Text,
        target_id -> Nullable<BigInt>,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    import_pending (source, parent_source_id, child_id) {
        source -> Text,
        parent_source_id -> Text,
        child_id -> BigInt,
    }
}

diesel::table! {
    imported_users (user_id) {
        user_id -> BigInt,
        source -> Text,
        original_name -> Nullable<Text>,
        created_at -> BigInt,
    }
}

diesel::allow_tables_to_appear_in_same_query!(import_map, comments);
diesel::allow_tables_to_appear_in_same_query!(imported_users, users);
diesel::joinable!(imported_users -> users (user_id));

diesel::table! {
    ban_records (id) {
        id -> BigInt,
        email_hash -> Nullable<Text>,
        name_hash -> Text,
        banned_until -> Nullable<BigInt>,
        created_at -> BigInt,
    }
}

diesel::table! {
    sso_identities (id) {
        id -> BigInt,
        site -> Text,
        subject -> Text,
        user_id -> BigInt,
        last_iat -> BigInt,
        created_at -> BigInt,
    }
}

diesel::table! {
    sso_used_tokens (site, jti) {
        site -> Text,
        jti -> Text,
        expires_at -> BigInt,
    }
}

diesel::joinable!(sso_identities -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(sso_identities, users);

diesel::table! {
    statements (id) {
        id -> BigInt,
        user_id -> Nullable<BigInt>,
        comment_id -> Nullable<BigInt>,
        decision -> Text,
        ground_type -> Text,
        ground_rule -> Nullable<Text>,
        ground_law -> Nullable<Text>,
        ground_explanation -> Nullable<Text>,
        facts -> Text,
        automated_detection -> Bool,
        automated_decision -> Text,
        source -> Text,
        excerpt -> Nullable<Text>,
        actor_id -> Nullable<BigInt>,
        decided_at -> BigInt,
        appeal_status -> Text,
        mailed -> Bool,
    }
}

diesel::table! {
    appeals (id) {
        id -> BigInt,
        statement_id -> BigInt,
        user_id -> BigInt,
        text -> Text,
        status -> Text,
        created_at -> BigInt,
        decided_at -> Nullable<BigInt>,
        decided_by -> Nullable<BigInt>,
        reason -> Nullable<Text>,
    }
}

diesel::joinable!(appeals -> statements (statement_id));
diesel::allow_tables_to_appear_in_same_query!(appeals, statements);

diesel::table! {
    notices (id) {
        id -> BigInt,
        comment_id -> BigInt,
        category -> Text,
        explanation -> Text,
        name -> Nullable<Text>,
        email -> Nullable<Text>,
        user_id -> Nullable<BigInt>,
        trusted -> Bool,
        locale -> Text,
        created_at -> BigInt,
        decided_at -> Nullable<BigInt>,
        outcome -> Nullable<Text>,
        statement_id -> Nullable<BigInt>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(notices, comments);

diesel::table! {
    oidc_logins (state_hash) {
        state_hash -> Text,
        browser_hash -> Text,
        provider -> Text,
        nonce -> Text,
        pkce_verifier -> Text,
        return_to -> Text,
        expires_at -> BigInt,
    }
}
