DROP TABLE mail_state;
DROP TABLE mails;
DROP TABLE account_tokens;
ALTER TABLE users DROP COLUMN queue_digest_at;
ALTER TABLE users DROP COLUMN notify_queue;
ALTER TABLE users DROP COLUMN notify_replies;
ALTER TABLE users DROP COLUMN email_verified_at;
