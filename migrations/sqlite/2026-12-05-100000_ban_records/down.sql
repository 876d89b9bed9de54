DROP TABLE ban_records;
