-- Versions that every write bumps, so caches of any instance can tell
-- whether what they hold is still current.
ALTER TABLE articles ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
ALTER TABLE settings ADD COLUMN words_version BIGINT NOT NULL DEFAULT 0;
