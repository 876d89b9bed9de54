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
error-request-timeout = The request arrived too slowly; try again.
error-unsupported-media-type = Unsupported content type: use application/json.
error-validation-failed = Some fields are invalid.
error-sso-invalid = The site's sign-in token is invalid.
error-sso-expired = The site's sign-in token has expired: reload the page.
error-sso-replayed = This site's sign-in token was already used: reload the page.
error-sso-only = Readers sign in with their account on the site.
error-oidc-return-refused = This return address is not allowed.
error-oidc-state-invalid = This sign-in has expired or was already used: start again from the sign-in button.
error-oidc-failed = The identity provider did not confirm the sign-in.
error-oidc-unavailable = The identity provider is not answering; try again in a moment.
error-rate-limited =
    { $seconds ->
        [one] Too many requests. Try again in { $seconds } second.
       *[other] Too many requests. Try again in { $seconds } seconds.
    }
error-internal = An internal error occurred. Please try again later.
error-unavailable = The service is temporarily unavailable. Please try again later.
error-live-full = Too many readers are following threads live right now. Please try again in a moment.
error-cannot-restore-author-deletion = A comment deleted by its author cannot be restored.
error-own-comment = You cannot mark your own comment.
error-not-approved = Only a published comment can be one of the editors' picks.

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
validation-name-invisible = This name shows nothing: it needs visible characters.
validation-name-impersonates = This name is another account's, or too close to it.
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
live-new-comments =
    { $count ->
        [one] { $count } new comment
       *[other] { $count } new comments
    }
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
sort-top = Most insightful
reaction-name = Insightful
reaction-hint = Mark this comment as insightful
picks-title = Editors' picks
picks-go = Show in the thread
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

## Pages: embedded widget, landing page, demo

sort-label = Sort
comment-posted = Your comment has been posted.
comment-reply-to = Reply to { $name }
comment-author-erased = Deleted account
auth-have-account = Already registered?
auth-no-account = No account yet?
auth-signed-in-as = Signed in as { $name }
badge-staff = Staff
auth-sso-hint = Sign in on the site to comment.
auth-oidc-sign-in = Sign in with { $name }
oidc-page-title = Sign-in
oidc-page-done = You are signed in. This window will close.
oidc-page-code = Code: { $code }
report-send = Send the report
report-reason = Reason
embed-article-missing = This article does not take comments yet.
landing-title = Tribune, comments for your site
landing-intro = Tribune is a comment server for news sites in French, Arabic and English: a comment box to embed under every article, and a moderator's desk.
landing-embed = To embed it, add these two lines to an article page:
landing-counts = To show comment counts on a listing page:
landing-demo = See the demo
landing-console = Open the moderator's desk
landing-api = API reference (OpenAPI)
demo-title = Demo article
demo-intro = This page embeds Tribune exactly as a site would: two lines of HTML under the article.
language-name = English

## Moderator's desk

console-title = Moderator's desk
console-sign-in-intro = Sign in with a moderator or admin account.
console-readers-refused = This account is not a moderator's: the moderator's desk is for moderators and admins only.
console-nav = Sections
console-queue-pending = Pending
console-queue-reported = Reported
console-queue-rejected = Rejected
console-queue-empty = Nothing to moderate here.
console-total = Total: { $count }
console-log = Log
console-users = Users
console-articles = Articles
console-settings = Settings
console-words = Word lists
console-stats = Statistics
console-approve = Approve
console-reject = Reject
console-delete = Delete
console-restore = Restore
console-ban = Ban
console-unban = Lift the ban
console-select = Select
console-selected = Selected: { $count }
console-bulk-approve = Approve the selection
console-bulk-reject = Reject the selection
console-bulk-delete = Delete the selection
console-reason = Reason (optional)
console-ban-reason = Reason for the ban
console-ban-duration = Duration
console-ban-days = Days (empty: permanent)
console-ban-confirm = Confirm the ban
console-conflict = Another moderator handled this comment first; the queue was reloaded.
console-done = Done.
console-article = Article
console-author = Author
console-approved-count = Approved: { $count }
console-rejected-count = Rejected: { $count }
console-note-count = Notes: { $count }
console-notes = Moderators' notes
console-notes-empty = No notes on this account.
console-note-text = New note (seen by staff only)
console-note-add = Add the note
console-note-remove = Remove
console-feature = Feature
console-unfeature = Unfeature
console-featured = Editors' pick
console-account-age = Account created on { $date }
console-status-banned = Banned
console-status-active = Active
console-reasons = Why it is held
console-reports = Reports
console-reason-premoderation = Pre-moderation
console-reason-suspect_word = Suspect word
console-reason-banned_word = Banned word
console-reason-too_many_links = Too many links
console-reason-duplicate = Duplicate
console-reason-reports = Reported
console-reason-edited = Edited
console-help = Help: keyboard shortcuts
console-help-keys = j / k: next / previous · a: approve · r: reject · d: delete · b: ban · x: select · 1 / 2 / 3: switch queue · ?: help · f: editors' pick
console-close = Close
console-user-page = User's page
console-role = Role
console-role-save = Change the role
console-create = Create
console-title-field = Title
console-key-field = Key
console-open = Comments open
console-moderation-mode = Moderation
console-word-pattern = Pattern
console-word-kind = Kind
console-word-add = Add
console-word-test = Try a text
console-word-test-run = Try
console-search = Search
console-save = Save

console-setting-default_moderation = Default moderation
console-setting-edit_window_minutes = Edit window (minutes)
console-setting-report_threshold = Reports before a comment is held
console-setting-trusted_after = Approved comments before trust
console-setting-max_links = Most links in a comment
console-setting-auto_create_articles = Create articles on first use
console-mode-pre = Pre-moderation
console-mode-post = Post-moderation
console-role-reader = Reader
console-role-moderator = Moderator
console-role-admin = Admin
console-kind-banned = Banned (rejected)
console-kind-suspect = Suspect (held)
console-stat-comments = Comments
console-stat-users = Accounts
console-stat-articles = Articles
console-stat-last_24h = Last 24 hours
console-stat-approved = approved
console-stat-pending = pending
console-stat-rejected = rejected
console-stat-deleted = deleted
console-stat-total = total
console-stat-banned = banned
console-stat-reports = reports
console-action-approve = approval
console-action-reject = rejection
console-action-delete = deletion
console-action-restore = restoration
console-action-ban = ban
console-action-unban = ban lifted
console-action-role_change = role change
console-action-settings_change = settings change
console-action-word_add = word added
console-action-word_remove = word removed
console-action-article_create = article created
console-action-article_update = article updated
console-action-feature = comment featured
console-action-unfeature = comment unfeatured
console-action-note_add = note added
console-action-note_remove = note removed
console-action-trusted_flagger = trusted flagger status changed
console-date = Date
console-action = Action
console-target = Target
console-moderator = Moderator
console-count = Count
console-status = Status
validation-text-empty = The text to try cannot be empty.
console-word-match = { $entry } (written: { $matched })
console-undone = disguise undone:
console-via-invisible = invisible characters
console-via-lookalike = look-alike letters
console-via-accents = accents
console-via-markup = formatting
console-via-elongation = tatweel
console-via-symbol = symbols inside the word
console-via-spacing = letters spaced out
console-via-leet = digits or symbols for letters
console-via-repeat = repeated letters
console-via-proclitic = attached particle
console-via-arabizi = Arabizi
console-via-inflection = inflection
console-via-suffix = attached pronoun
console-via-doubled_letter = doubled final letter
console-via-broken_plural = broken plural
console-via-elision = elision
console-via-prefix = prefix
console-report-notes = Reporters' notes

# Webhooks
validation-events-empty = Choose at least one event type.
validation-webhook-address = This address is private or local: webhooks may only reach public addresses.
validation-webhook-unresolved = This host name could not be resolved.

## Mail
mail-greeting = Hello { $name },
mail-someone = Someone
mail-verify-subject = Confirm your e-mail address
mail-verify-body =
    { $count ->
        [one] To confirm that this address is yours, open the link below (valid for { $count } hour).
       *[other] To confirm that this address is yours, open the link below (valid for { $count } hours).
    }
mail-verify-action = Confirm my address
mail-verify-ignore = If you did not create an account, ignore this message.
mail-reset-subject = Change your password
mail-reset-body =
    { $count ->
        [one] Someone, probably you, asked to change your account's password. This link works once and expires in { $count } minute.
       *[other] Someone, probably you, asked to change your account's password. This link works once and expires in { $count } minutes.
    }
mail-reset-action = Choose a new password
mail-reset-ignore = If you asked for nothing, ignore this message: your password stays as it is.
mail-reply-subject = { $name } replied to you
mail-reply-body = { $name } replied to your comment under “{ $title }”:
mail-reply-action = See the discussion
mail-reply-unsubscribe = Stop these reply mails:
mail-digest-subject =
    { $count ->
        [0] No comments waiting
        [one] { $count } comment waiting for moderation
       *[other] { $count } comments waiting for moderation
    }
mail-digest-body =
    { $count ->
        [0] No comment waits in the moderation queue.
        [one] { $count } comment waits for a decision in the moderation queue.
       *[other] { $count } comments wait for a decision in the moderation queue.
    }
mail-digest-action = Open the moderation console
mail-digest-unsubscribe = Stop this digest:
validation-token-invalid = This link is not valid.
validation-token-expired = This link has expired: ask for a new one.
validation-token-used = This link has already been used.
verify-page-title = Confirm your address
verify-page-intro = Confirm that this e-mail address is yours.
verify-page-submit = Confirm my address
verify-page-done = Thank you: your address is confirmed.
reset-page-title = New password
reset-page-intro = Choose your account's new password. You will be signed out everywhere.
reset-page-password = New password (at least 10 characters)
reset-page-submit = Save the password
reset-page-done = Your password has changed. Sign in with the new one.
unsubscribe-title = Unsubscribe
unsubscribe-replies = Stop receiving mail when someone replies to your comments?
unsubscribe-queue = Stop receiving the moderation queue digest?
unsubscribe-submit = Unsubscribe me
unsubscribe-done = Done: you will no longer receive these messages. You can turn them on again from your account.
unsubscribe-invalid = This unsubscribe link is not valid.

## Digital Services Act: statements of reasons, appeals
error-already-appealed = You have already appealed this decision.
error-appeal-window-closed = The time to appeal this decision has passed.
error-appeal-needs-other-moderator = This appeal must be decided by a moderator other than the one who made the decision.
error-appeals-suspended = Your last appeals were manifestly unfounded: further appeals are not handled for now.
error-appeal-decided = This appeal has already been decided.
validation-unknown-rule = Unknown rule; the site's rules are: { $choices }.
dsa-facts-none = A moderator's decision, without a detailed reason.
dsa-redress = You may appeal this decision to us until { $date }. You may also turn to a certified out-of-court dispute settlement body, or to the courts.
dsa-redress-no-appeal = You may turn to a certified out-of-court dispute settlement body, or to the courts.
validation-before-from = The end of the period is before its start.
## Digital Services Act: notices of illegal content, and their mails
validation-good-faith = You must confirm that your notice is made in good faith.
mail-greeting-anonymous = Hello,
mail-notice-received-subject = We received your notice
mail-notice-received-body = We received your notice of illegal content about the comment below (category: { $category }). We will examine it and tell you our decision.
mail-notice-decided-subject = Our decision on your notice
mail-notice-decided-removed = After examining your notice, we removed the comment below.
mail-notice-decided-kept = After examining your notice, we kept the comment below online.
mail-automated-yes = Automated means were used to take this decision.
mail-automated-no = This decision was taken by a person, without automated means.
mail-statement-subject-removed = Why your comment was removed
mail-statement-subject-restricted = Why your comment was hidden
mail-statement-subject-account_suspended = Why your account was suspended
mail-statement-removed = Your comment below was removed.
mail-statement-restricted = Your comment below was hidden until a moderator reviews it.
mail-statement-account_suspended = Your account was suspended.
mail-statement-ground-rule = Ground: the site's rule “{ $rule }”.
mail-statement-ground-illegal = Ground: the content is illegal under { $law }. { $explanation }
mail-statement-facts = Facts: { $facts }
mail-statement-detection-yes = The content was detected by automated means.
mail-statement-detection-no = The content was not detected by automated means.
mail-statement-decision-fully = The decision was taken by automated means alone.
mail-statement-decision-partially = The decision was taken partly by automated means.
mail-statement-decision-not = The decision was taken by a person.
mail-appeal-subject = The decision on your appeal
mail-appeal-upheld = We reviewed your appeal: the decision stands.
mail-appeal-reversed = We reviewed your appeal and reversed the decision: your comment is restored, or your account's suspension lifted.
mail-appeal-reason = Reason: { $reason }
## Widget: notices of illegal content (DSA Art. 16)
notice-open = Report illegal content
notice-title = Report illegal content (EU Digital Services Act)
notice-intro = For content that breaks the law. For a comment that is merely out of place, use “Report”.
notice-category = Category
notice-explanation = Why is this content illegal? (at least 20 characters)
notice-name = Your name
notice-email = Your e-mail address
notice-identity-hint = Name and address are required, except for child sexual abuse material. You will get an acknowledgement, then our decision.
notice-good-faith = I declare in good faith that the information and allegations in this notice are accurate and complete.
notice-send = Send the notice
notice-sent = Thank you, your notice has been received.
notice-category-illegal-or-harmful-speech = Illegal or harmful speech
notice-category-violence = Violence
notice-category-protection-of-minors = Protection of minors (including child sexual abuse)
notice-category-data-protection-and-privacy-violations = Data protection and privacy violations
notice-category-scams-and-fraud = Scams and fraud
notice-category-intellectual-property-infringements = Intellectual property infringements
notice-category-negative-effects-on-civic-discourse-or-elections = Negative effects on civic discourse or elections
notice-category-non-consensual-behaviour = Non-consensual behaviour
notice-category-pornography-or-sexualized-content = Pornography or sexualized content
notice-category-risk-for-public-security = Risk for public security
notice-category-self-harm = Self-harm
notice-category-unsafe-and-illegal-products = Unsafe and illegal products
notice-category-animal-welfare = Animal welfare
notice-category-scope-of-platform-service = Scope of platform service
## Console: the DSA's queues
console-notices = Notices
console-appeals = Appeals
console-notice-category = Category
console-notice-explanation = Explanation
console-notifier = Notifier
console-trusted-flagger = trusted flagger
console-comment = Comment
console-decision = Decision
console-decision-removed = removed
console-decision-restricted = hidden
console-decision-account_suspended = account suspended
console-appeal-text = Appeal
console-appeal-upheld = Uphold
console-appeal-reversed = Reverse
mail-appeal-warning = Warning: your appeals keep being found manifestly unfounded. If the next one is too, further appeals will not be handled for a while (Art. 23 of the Digital Services Act).

## The console's transparency report
console-transparency = Transparency
console-transparency-from = From
console-transparency-to = To
console-transparency-show = Show
console-transparency-none = None in the period.
console-transparency-notices = Notices received
console-transparency-notices-decided = Notices decided
console-transparency-notice-hours = Median time to decide a notice (hours)
console-transparency-decisions = Moderation decisions
console-transparency-automated = Detected by automated means
console-transparency-appeals = Appeals
console-transparency-upheld = Appeals dismissed (decision upheld)
console-transparency-reversed = Appeals granted (decision reversed)
console-transparency-appeal-hours = Median time to decide an appeal (hours)
console-transparency-suspensions = Account suspensions
console-transparency-by-ground = Decisions by ground
console-transparency-by-category = Notices by category
console-transparency-by-decision = Decisions by type
console-transparency-illegal = Illegal content
console-transparency-rule = Site rule:
console-transparency-decision-removed = Removal
console-transparency-decision-restricted = Restriction
console-transparency-decision-account-suspended = Account suspension
