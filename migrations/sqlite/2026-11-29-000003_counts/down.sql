DROP INDEX comments_duplicates;
ALTER TABLE articles DROP COLUMN approved_count;
