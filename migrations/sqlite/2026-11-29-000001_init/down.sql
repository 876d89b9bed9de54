DROP TABLE settings;
DROP TABLE words;
DROP TABLE moderation_log;
DROP TABLE reports;
DROP TABLE comments;
DROP TABLE articles;
DROP TABLE sessions;
DROP TABLE users;
