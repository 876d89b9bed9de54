DROP TABLE user_notes;
DROP INDEX comments_featured;
DROP INDEX comments_top;
DROP TABLE reactions;
ALTER TABLE comments DROP COLUMN featured_by;
ALTER TABLE comments DROP COLUMN featured_at;
ALTER TABLE comments DROP COLUMN reactions;
