ALTER TABLE settings DROP COLUMN words_version;
ALTER TABLE articles DROP COLUMN version;
