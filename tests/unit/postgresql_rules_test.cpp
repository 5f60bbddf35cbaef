#include <catch2/catch.hpp>

#include "lint_support.hpp"

using namespace lint_support;
using migrator::script::TransactionMode;

TEST_CASE("PostgreSQL locking rules fire on the risky statement and not on its safe rewrite", "[lint]") {
    struct Case {
        const char* rule;
        const char* risky;
        const char* safe;
    };
    const Case cases[] = {
        {"pg-index-not-concurrent", "CREATE INDEX ix ON users (email);",
         "CREATE TABLE t (id int);\nCREATE INDEX ix ON t (id);"},
        {"pg-add-column-not-null", "ALTER TABLE users ADD COLUMN age int NOT NULL;",
         "ALTER TABLE users ADD COLUMN age int NOT NULL DEFAULT 0;"},
        {"pg-alter-column-type", "ALTER TABLE users ALTER COLUMN age TYPE bigint;",
         "ALTER TABLE users ADD COLUMN age2 bigint;"},
        {"pg-set-not-null", "ALTER TABLE users ALTER COLUMN age SET NOT NULL;",
         "ALTER TABLE users ADD CONSTRAINT age_nn CHECK (age IS NOT NULL) NOT VALID;"},
        {"pg-constraint-not-valid",
         "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES users (id);",
         "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (u) REFERENCES users (id) NOT VALID;"},
        {"pg-constraint-not-valid", "ALTER TABLE orders ADD CONSTRAINT pos CHECK (n > 0);",
         "ALTER TABLE orders ADD CONSTRAINT pos CHECK (n > 0) NOT VALID;"},
        {"pg-volatile-default", "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();",
         "ALTER TABLE users ADD COLUMN created timestamptz DEFAULT now();"},
        {"pg-volatile-default", "ALTER TABLE users ADD COLUMN n bigserial;",
         "ALTER TABLE users ADD COLUMN n bigint;"},
    };
    for (const auto& item : cases) {
        INFO(item.risky);
        CHECK(fired(rules_fired(item.risky, DialectKind::Postgresql), item.rule));
        CHECK_FALSE(fired(rules_fired(item.safe, DialectKind::Postgresql), item.rule));
    }
}

TEST_CASE("CREATE INDEX CONCURRENTLY needs a section outside the transaction", "[lint]") {
    const auto sql = "CREATE INDEX CONCURRENTLY ix ON users (email);";
    const auto inside = rules_fired(sql, DialectKind::Postgresql);
    CHECK(fired(inside, "pg-concurrent-index-in-transaction"));
    CHECK_FALSE(fired(inside, "pg-index-not-concurrent"));
    CHECK(rules_fired(sql, DialectKind::Postgresql, "SELECT 1;", TransactionMode::NonTransactional).empty());
}

TEST_CASE("PostgreSQL rules leave a table created in the same upgrade alone", "[lint]") {
    CHECK(rules_fired("CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN a int NOT NULL;\n"
                      "ALTER TABLE t ALTER COLUMN id TYPE bigint;\nCREATE INDEX ix ON t (a);",
                      DialectKind::Postgresql, "DROP TABLE t;")
              .empty());
}

TEST_CASE("PostgreSQL rules are not applied to other databases", "[lint]") {
    CHECK(rules_fired("CREATE INDEX ix ON users (email);", DialectKind::Sqlite).empty());
    CHECK(rules_fired("ALTER TABLE users MODIFY age bigint;", DialectKind::Mysql).empty());
}
