-- message: create users table
-- revision: 9b1c2d3e4f5a
-- down_revision:
-- branch_labels:
-- depends_on:
-- create_date: 2026-11-24 10:02:41

-- migrate:upgrade
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username VARCHAR(50) NOT NULL UNIQUE
);

-- migrate:downgrade
DROP TABLE users;
