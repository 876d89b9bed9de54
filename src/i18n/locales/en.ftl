# Tribune — English strings (served only when asked for).
# Every language must define exactly the same keys.

## API errors (one per error code)

error-malformed-json = The request body is not valid JSON.
error-invalid-cursor = The pagination cursor is invalid.
error-unauthenticated = You must be signed in to do this.
error-invalid-credentials = Incorrect username or password.
error-forbidden = You are not allowed to do this.
error-banned = Your account is suspended until { $until }.
error-banned-permanent = Your account has been permanently banned.
error-article-closed = Comments are closed for this article.
error-edit-window-passed = The time allowed to edit or delete this comment has passed.
error-not-found = The requested resource was not found.
error-method-not-allowed = This method is not allowed here.
error-username-taken = This username is already taken.
error-email-taken = This email address is already in use.
error-already-reported = You have already reported this comment.
error-conflict = This operation conflicts with the current state.
error-last-admin = The last administrator cannot be removed.
error-article-exists = An article with this key already exists.
error-word-exists = This word is already in the list.
error-payload-too-large = The request body is too large.
error-unsupported-media-type = Unsupported content type: use application/json.
error-validation-failed = Some fields are invalid.
error-rate-limited =
    { $seconds ->
        [one] Too many requests. Try again in { $seconds } second.
       *[other] Too many requests. Try again in { $seconds } seconds.
    }
error-internal = An internal error occurred. Please try again later.
error-unavailable = The service is temporarily unavailable. Please try again later.
error-cannot-restore-author-deletion = A comment deleted by its author cannot be restored.

## Field validation

validation-required = This field is required.
validation-unknown-field = This field is not recognised.
validation-invalid-type = This value has the wrong type.
validation-too-short =
    { $min ->
        [one] Must be at least { $min } character long.
       *[other] Must be at least { $min } characters long.
    }
validation-too-long =
    { $max ->
        [one] Must be at most { $max } character long.
       *[other] Must be at most { $max } characters long.
    }
validation-out-of-range = The value must be between { $min } and { $max }.
validation-invalid-format = The format is invalid.
validation-username-chars = Usernames may only contain letters, digits, and the characters _ - and .
validation-username-mixed-script = Usernames must not mix different scripts.
validation-email = The email address is invalid.
validation-forbidden-chars = This field contains forbidden characters.
validation-body-empty = The comment cannot be empty.
validation-too-deep =
    { $max ->
        [one] A thread cannot be more than { $max } level deep.
       *[other] A thread cannot be more than { $max } levels deep.
    }
validation-invalid-choice = Invalid value. Accepted values: { $choices }.
validation-in-past = The date must be in the future.
validation-too-many =
    { $max ->
        [one] No more than { $max } item.
       *[other] No more than { $max } items.
    }
validation-password-too-short =
    { $min ->
        [one] The password must be at least { $min } character long.
       *[other] The password must be at least { $min } characters long.
    }
validation-password-too-long =
    { $max ->
        [one] The password must be at most { $max } character long.
       *[other] The password must be at most { $max } characters long.
    }
validation-invalid-key = The article key is invalid.
validation-invalid-parent = The comment you are replying to is invalid.

## Comment widget

comments-title = Comments
comment-post = Post comment
comment-count =
    { $count ->
        [0] No comments
        [one] { $count } comment
       *[other] { $count } comments
    }
comments-empty = No comments yet
comments-notice = Any abusive comment, or one unrelated to the article, will be removed.
comment-reply = Reply
comment-edit = Edit
comment-delete = Delete
comment-report = Report
comment-cancel = Cancel
comment-save = Save
comment-placeholder = Write a comment…
comment-pending-notice = Your comment is awaiting moderation.
comment-rejected-notice = Your comment was rejected by the moderators.
comment-deleted = This comment has been deleted.
comment-edited = edited
comment-load-more = Load more comments
sort-oldest = Oldest first
sort-newest = Newest first
auth-sign-in = Sign in
auth-sign-out = Sign out
auth-register = Create an account
auth-username = Username
auth-email = Email address
auth-password = Password
auth-display-name = Display name
auth-sign-in-to-comment = Sign in to comment.
report-title = Report this comment
report-reason-abusive = Abusive
report-reason-off-topic = Off topic
report-reason-spam = Spam
report-reason-other = Other
report-note = Details (optional)
report-sent = Thank you, your report has been sent.
article-closed-notice = Comments are closed for this article.
reply-count =
    { $count ->
        [0] No replies
        [one] { $count } reply
       *[other] { $count } replies
    }
time-just-now = Just now
time-minutes-ago =
    { $count ->
        [one] { $count } minute ago
       *[other] { $count } minutes ago
    }
time-hours-ago =
    { $count ->
        [one] { $count } hour ago
       *[other] { $count } hours ago
    }
time-days-ago =
    { $count ->
        [one] { $count } day ago
       *[other] { $count } days ago
    }
banned-notice-until = Your account is suspended until { $until }; you cannot comment.
banned-notice-permanent = Your account has been banned; you cannot comment.
character-count = { $count } / { $max }

validation-wrong-password = The current password is incorrect.
validation-text-empty = The text to try cannot be empty.
