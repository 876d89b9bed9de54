DROP TABLE imported_users;
DROP TABLE import_pending;
DROP TABLE import_map;
