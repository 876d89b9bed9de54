ALTER TABLE comments DROP COLUMN word_matches;
