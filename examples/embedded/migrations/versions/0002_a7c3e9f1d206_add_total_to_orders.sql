-- message: add total to orders
-- revision: a7c3e9f1d206
-- down_revision: 5e1d0c7a2b94
-- branch_labels:
-- depends_on:
-- create_date: 2026-12-03 10:05:00

-- migrate:upgrade
ALTER TABLE orders ADD COLUMN total INTEGER NOT NULL DEFAULT 0;

-- migrate:downgrade
ALTER TABLE orders DROP COLUMN total;
