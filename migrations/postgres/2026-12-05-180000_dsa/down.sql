DROP TABLE appeals;
DROP TABLE statements;
