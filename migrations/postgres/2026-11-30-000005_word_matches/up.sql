-- Why the word filters flagged a comment: a JSON array of
-- {"kind", "entry", "matched", "via"}, shown in the moderation queue.
ALTER TABLE comments ADD COLUMN word_matches TEXT NOT NULL DEFAULT '[]';
