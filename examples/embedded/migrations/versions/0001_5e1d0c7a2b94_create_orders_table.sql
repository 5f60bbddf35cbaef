-- message: create orders table
-- revision: 5e1d0c7a2b94
-- down_revision:
-- branch_labels:
-- depends_on:
-- create_date: 2026-12-03 10:00:00

-- migrate:upgrade
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer VARCHAR(100) NOT NULL
);

-- migrate:downgrade
DROP TABLE orders;
