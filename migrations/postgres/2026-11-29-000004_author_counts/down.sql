ALTER TABLE users DROP COLUMN rejected_count;
ALTER TABLE users DROP COLUMN approved_count;
