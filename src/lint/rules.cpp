// The rule table: ids, default severities and the advice each finding carries (docs/lint.md lists the same).

#include <algorithm>
#include <array>

#include "lint/lint.hpp"

namespace migrator::lint {

namespace {

constexpr std::array<RuleInfo, 21> rule_table{{
    {"drop-table", Severity::Error, RuleScope::Any, "DROP TABLE",
     "the table's rows are gone, and code still running during the deploy fails on the missing table",
     "stop using the table in one release, drop it in a later one (and keep a backup)"},
    {"drop-column", Severity::Error, RuleScope::Any, "DROP COLUMN",
     "the column's data is gone, and code still running during the deploy fails on the missing column",
     "stop reading and writing the column in one release, drop it in a later one"},
    {"truncate", Severity::Error, RuleScope::Any, "TRUNCATE",
     "every row of the table is deleted, and on PostgreSQL it takes an ACCESS EXCLUSIVE lock",
     "delete the rows that must go with a WHERE clause, or move the data out first"},
    {"delete-without-where", Severity::Error, RuleScope::Any, "DELETE without WHERE",
     "every row of the table is deleted", "add a WHERE clause that names the rows to delete"},
    {"update-without-where", Severity::Error, RuleScope::Any, "UPDATE without WHERE",
     "every row of the table is rewritten, and the old values are lost",
     "add a WHERE clause; on a big table update in batches"},
    {"drop-schema", Severity::Error, RuleScope::Any, "DROP SCHEMA",
     "every object in the schema is gone with its data",
     "drop the objects one by one in a reviewed migration"},
    {"drop-database", Severity::Error, RuleScope::Any, "DROP DATABASE",
     "the whole database is gone; a migration should never do this", "drop databases outside migrations"},
    {"pg-index-not-concurrent", Severity::Warning, RuleScope::Postgresql,
     "CREATE INDEX without CONCURRENTLY on an existing table",
     "CREATE INDEX blocks every write to the table until the index is built",
     "CREATE INDEX CONCURRENTLY, in a section marked transaction=false"},
    {"pg-concurrent-index-in-transaction", Severity::Error, RuleScope::Postgresql,
     "CREATE INDEX CONCURRENTLY inside a transaction",
     "PostgreSQL refuses CREATE INDEX CONCURRENTLY inside a transaction block, so the migration fails",
     "mark the section `-- migrate:upgrade transaction=false` and keep the statement alone in it"},
    {"pg-add-column-not-null", Severity::Error, RuleScope::Postgresql,
     "ADD COLUMN ... NOT NULL without a default",
     "it fails on a table that has rows, and old code that inserts without the column fails too",
     "add the column with a DEFAULT, or add it nullable, backfill, then SET NOT NULL via a NOT VALID check"},
    {"pg-alter-column-type", Severity::Warning, RuleScope::Postgresql, "ALTER COLUMN ... TYPE",
     "changing a column's type usually rewrites the table under an ACCESS EXCLUSIVE lock",
     "add a new column of the new type, backfill it in batches, switch the code over, drop the old one"},
    {"pg-set-not-null", Severity::Warning, RuleScope::Postgresql, "ALTER COLUMN ... SET NOT NULL",
     "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
     "add CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it, then SET NOT NULL (PostgreSQL 12+ "
     "skips the scan)"},
    {"pg-constraint-not-valid", Severity::Warning, RuleScope::Postgresql,
     "a foreign key or check constraint added without NOT VALID",
     "validating the existing rows holds a lock that blocks writes for the whole scan",
     "ADD CONSTRAINT ... NOT VALID, then ALTER TABLE ... VALIDATE CONSTRAINT in a later statement"},
    {"pg-volatile-default", Severity::Warning, RuleScope::Postgresql, "ADD COLUMN with a volatile default",
     "a volatile default (random(), gen_random_uuid(), clock_timestamp(), a serial) rewrites the whole "
     "table under an ACCESS EXCLUSIVE lock",
     "add the column without the default (or with a constant one), set the default, backfill in batches"},
    {"mysql-mixed-ddl-dml", Severity::Warning, RuleScope::Mysql, "DDL and DML in one migration",
     "MySQL and MariaDB commit implicitly at every DDL statement, so a failure leaves half a migration "
     "applied",
     "put the schema change and the data change in separate revisions"},
    {"mysql-backslash-escape", Severity::Warning, RuleScope::Mysql, "a backslash escape in a string literal",
     "the meaning depends on the server's sql_mode: with NO_BACKSLASH_ESCAPES the backslash is kept",
     "write quotes doubled ('it''s') and avoid backslashes in literals"},
    {"empty-upgrade", Severity::Error, RuleScope::Any, "an empty upgrade section",
     "the revision does nothing: usually the template's placeholder was left in",
     "write the upgrade SQL, or delete the revision"},
    {"missing-downgrade", Severity::Warning, RuleScope::Any, "a missing or empty downgrade section",
     "the revision cannot be rolled back when a release has to be",
     "write the downgrade SQL; if the change cannot be undone, say so with lint:ignore and a reason"},
    {"downgrade-not-reversed", Severity::Warning, RuleScope::Any,
     "a downgrade that does not drop what the upgrade creates",
     "a rollback leaves the table or column behind, and upgrading again fails on it",
     "drop, in the downgrade, every table and column the upgrade creates"},
    {"rename-table", Severity::Warning, RuleScope::Any, "a renamed table",
     "code still running during a rolling deploy uses the old name and fails",
     "create the new table (or a view under the new name), move the code, drop the old one later"},
    {"rename-column", Severity::Warning, RuleScope::Any, "a renamed column",
     "code still running during a rolling deploy uses the old name and fails",
     "add the new column, write both, backfill, move the readers, drop the old column later"},
}};

}  // namespace

std::span<const RuleInfo> rules() {
    return rule_table;
}

const RuleInfo* find_rule(std::string_view id) {
    const auto found = std::find_if(rule_table.begin(), rule_table.end(),
                                    [&](const RuleInfo& rule) { return rule.id == id; });
    return found == rule_table.end() ? nullptr : &*found;
}

std::string_view severity_name(Severity severity) {
    switch (severity) {
        case Severity::Off:
            return "off";
        case Severity::Warning:
            return "warning";
        case Severity::Error:
            return "error";
    }
    return "warning";
}

}  // namespace migrator::lint
