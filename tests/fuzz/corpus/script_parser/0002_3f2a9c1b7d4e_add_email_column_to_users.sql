-- message: add email column to users
-- revision: 3f2a9c1b7d4e
-- down_revision: 9b1c2d3e4f5a
-- branch_labels:
-- depends_on:
-- create_date: 2026-11-24 10:15:02

-- migrate:upgrade
ALTER TABLE users ADD COLUMN email VARCHAR(100);

-- migrate:downgrade
ALTER TABLE users DROP COLUMN email;
