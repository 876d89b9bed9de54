DROP TABLE sso_used_tokens;
DROP TABLE sso_identities;
ALTER TABLE users DROP COLUMN badges;
