DROP INDEX statements_unmailed;
ALTER TABLE statements DROP COLUMN mailed;
ALTER TABLE users DROP COLUMN trusted_flagger;
DROP TABLE notices;
