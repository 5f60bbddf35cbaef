// The SQLite inspector on a real in-memory database, the table filter, normalize_default for every
// dialect, and the desired-state file on SQLite.
#include <catch2/catch.hpp>

#include <map>

#include "autogenerate/desired_state.hpp"
#include "autogenerate/inspector.hpp"
#include "schema_builders.hpp"
#include "util/error.hpp"

using migrator::autogenerate::normalize_default;
using migrator::autogenerate::TableFilter;
using migrator::dialect::DialectKind;
using migrator::schema::AutoIncrement;
using migrator::schema::IndexKind;
using migrator::schema::Nullability;
using migrator::schema::ReferentialAction;
using migrator::schema::Schema;
using migrator::schema::SortOrder;
using migrator::schema::TypeKind;
using Names = std::vector<std::string>;

namespace {

const migrator::dialect::Dialect& sqlite() {
    return migrator::dialect::dialect_for(DialectKind::Sqlite);
}

const char* const shop_ddl = R"sql(
CREATE TABLE customers (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    email VARCHAR(200) NOT NULL,
    name TEXT DEFAULT 'it''s me',
    score NUMERIC(10, 2) DEFAULT (0),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    joined DATETIME DEFAULT CURRENT_TIMESTAMP,
    external_id CHAR(36),
    notes tsvector,
    CONSTRAINT uq_customers_email UNIQUE (email),
    CONSTRAINT ck_customers_1 CHECK (score >= 0)
);
CREATE TABLE orders (
    customer_id INTEGER NOT NULL,
    number INTEGER NOT NULL,
    placed DATE,
    payload JSON,
    CONSTRAINT pk_orders PRIMARY KEY (customer_id, number),
    CONSTRAINT fk_orders_customer_id_customers FOREIGN KEY (customer_id) REFERENCES customers (id)
        ON DELETE CASCADE ON UPDATE SET NULL
);
CREATE INDEX ix_orders_placed_number ON orders (placed, number);
CREATE UNIQUE INDEX ix_customers_name ON customers (name);
CREATE TABLE migrator_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY);
)sql";

void run_script(migrator::db::Connection& connection, const std::string& sql) {
    std::size_t start = 0;
    for (auto end = sql.find(";\n"); end != std::string::npos;
         start = end + 2, end = sql.find(";\n", start)) {
        connection.execute(sql.substr(start, end - start));
    }
}

Schema inspect(migrator::db::Connection& connection, const TableFilter& filter = {}) {
    return migrator::autogenerate::inspect_schema(connection, sqlite(), "", "migrator_version", filter);
}

}  // namespace

TEST_CASE("SQLite: tables come back sorted, without the version table and sqlite_ tables", "[inspector]") {
    auto connection = test::open_database();
    run_script(*connection, shop_ddl);
    const auto schema = inspect(*connection);
    REQUIRE(schema.tables.size() == 2);
    CHECK(schema.tables[0].name == "customers");
    CHECK(schema.tables[1].name == "orders");
}

TEST_CASE("SQLite: columns keep their order, types, nullability, defaults and autoincrement", "[inspector]") {
    auto connection = test::open_database();
    run_script(*connection, shop_ddl);
    const auto schema = inspect(*connection);
    const auto* customers = schema.find_table("customers");
    REQUIRE(customers != nullptr);
    Names names;
    for (const auto& column : customers->columns) names.push_back(column.name);
    CHECK(names == Names{"id", "email", "name", "score", "active", "joined", "external_id", "notes"});

    const auto& id = customers->columns[0];
    CHECK(id.type.kind == TypeKind::Integer);
    CHECK(id.nullability == Nullability::NotNull);
    CHECK(id.autoincrement == AutoIncrement::Yes);
    const auto& email = customers->columns[1];
    CHECK(email.type.kind == TypeKind::String);
    CHECK(email.type.length == 200);
    CHECK(email.server_default == std::nullopt);
    const auto& name = customers->columns[2];
    CHECK(name.type.kind == TypeKind::Text);
    CHECK(name.nullability == Nullability::Nullable);
    CHECK(name.server_default == "'it''s me'");
    CHECK(name.autoincrement == AutoIncrement::No);
    const auto& score = customers->columns[3];
    CHECK(score.type.kind == TypeKind::Numeric);
    CHECK(score.type.precision == 10);
    CHECK(score.type.scale == 2);
    CHECK(score.server_default == "0");
    CHECK(customers->columns[4].type.kind == TypeKind::Boolean);
    CHECK(customers->columns[4].server_default == "TRUE");
    CHECK(customers->columns[5].type.kind == TypeKind::DateTime);
    CHECK(customers->columns[5].server_default == "CURRENT_TIMESTAMP");
    CHECK(customers->columns[6].type.kind == TypeKind::Uuid);
    CHECK(customers->columns[7].type.kind == TypeKind::Raw);
    CHECK(customers->columns[7].type.raw == "tsvector");
    CHECK(customers->comment == std::nullopt);

    const auto* orders = schema.find_table("orders");
    REQUIRE(orders != nullptr);
    CHECK(orders->columns[2].type.kind == TypeKind::Date);
    CHECK(orders->columns[3].type.kind == TypeKind::Json);
    CHECK(orders->columns[0].autoincrement == AutoIncrement::No);
}

TEST_CASE("SQLite: keys, unique constraints, indexes, foreign keys and checks keep their names",
          "[inspector]") {
    auto connection = test::open_database();
    run_script(*connection, shop_ddl);
    const auto schema = inspect(*connection);
    const auto& customers = *schema.find_table("customers");
    const auto& orders = *schema.find_table("orders");

    REQUIRE(customers.primary_key);
    CHECK(customers.primary_key->columns == Names{"id"});
    REQUIRE(orders.primary_key);
    CHECK(orders.primary_key->name == "pk_orders");
    CHECK(orders.primary_key->columns == Names{"customer_id", "number"});

    REQUIRE(customers.uniques.size() == 1);
    CHECK(customers.uniques[0].name == "uq_customers_email");
    CHECK(customers.uniques[0].columns == Names{"email"});
    // The autoindexes behind UNIQUE and the primary key are not indexes of their own.
    REQUIRE(customers.indexes.size() == 1);
    CHECK(customers.indexes[0].name == "ix_customers_name");
    CHECK(customers.indexes[0].kind == IndexKind::Unique);
    REQUIRE(orders.indexes.size() == 1);
    CHECK(orders.indexes[0].columns == Names{"placed", "number"});
    CHECK(orders.indexes[0].kind == IndexKind::Plain);

    REQUIRE(orders.foreign_keys.size() == 1);
    const auto& key = orders.foreign_keys[0];
    CHECK(key.name == "fk_orders_customer_id_customers");
    CHECK(key.columns == Names{"customer_id"});
    CHECK(key.referred_table == "customers");
    CHECK(key.referred_columns == Names{"id"});
    CHECK(key.on_delete == ReferentialAction::Cascade);
    CHECK(key.on_update == ReferentialAction::SetNull);

    REQUIRE(customers.checks.size() == 1);
    CHECK(customers.checks[0].name == "ck_customers_1");
    CHECK(customers.checks[0].expression == "score >= 0");
    CHECK(orders.checks.empty());
}

TEST_CASE("SQLite: column-level named constraints and a foreign key to the implicit primary key",
          "[inspector]") {
    auto connection = test::open_database();
    connection->execute("CREATE TABLE parent (code TEXT NOT NULL PRIMARY KEY)");
    connection->execute(
        "CREATE TABLE child (id INTEGER NOT NULL PRIMARY KEY, \"parent code\" TEXT CONSTRAINT fk_named "
        "REFERENCES parent ON DELETE SET DEFAULT, tag TEXT CONSTRAINT uq_tag UNIQUE CONSTRAINT ck_tag CHECK "
        "(length(tag) > 1), CHECK (id > 0))");
    const auto schema = inspect(*connection);
    const auto& child = *schema.find_table("child");
    REQUIRE(child.foreign_keys.size() == 1);
    CHECK(child.foreign_keys[0].name == "fk_named");
    CHECK(child.foreign_keys[0].columns == Names{"parent code"});
    CHECK(child.foreign_keys[0].referred_columns == Names{"code"});
    CHECK(child.foreign_keys[0].on_delete == ReferentialAction::SetDefault);
    REQUIRE(child.uniques.size() == 1);
    CHECK(child.uniques[0].name == "uq_tag");
    // Unnamed checks have no name to match or drop them by, so they are not reported.
    REQUIRE(child.checks.size() == 1);
    CHECK(child.checks[0].name == "ck_tag");
    CHECK(child.checks[0].expression == "length(tag) > 1");
    CHECK(child.columns[0].autoincrement == AutoIncrement::No);
}

TEST_CASE("SQLite: generated columns, STORED and VIRTUAL, with their expressions as written", "[inspector]") {
    auto connection = test::open_database();
    run_script(*connection,
               "CREATE TABLE doubled (a INTEGER DEFAULT (CAST(1 AS INTEGER)),\n"
               "    b INTEGER GENERATED ALWAYS AS (a * (2)) STORED NOT NULL, c AS (abs(a)));\n");
    const auto schema = inspect(*connection);
    REQUIRE(schema.tables.size() == 1);
    const auto& columns = schema.tables[0].columns;
    REQUIRE(columns.size() == 3);
    CHECK_FALSE(columns[0].generated);
    CHECK(columns[0].server_default == "CAST(1 AS INTEGER)");
    REQUIRE(columns[1].generated);
    CHECK(columns[1].generated->expression == "a * (2)");
    CHECK(columns[1].generated->storage == migrator::schema::GeneratedStorage::Stored);
    CHECK(columns[1].nullability == Nullability::NotNull);
    REQUIRE(columns[2].generated);
    CHECK(columns[2].generated->expression == "abs(a)");
    CHECK(columns[2].generated->storage == migrator::schema::GeneratedStorage::Virtual);
}

TEST_CASE("SQLite: WITHOUT ROWID and STRICT are the table's options, in CREATE TABLE's order",
          "[inspector]") {
    auto connection = test::open_database();
    run_script(*connection,
               "CREATE TABLE codes (code TEXT PRIMARY KEY, label TEXT) WITHOUT ROWID;\n"
               "CREATE TABLE counts (id INTEGER PRIMARY KEY, n INTEGER) STRICT;\n"
               "CREATE TABLE pairs (a INTEGER, b INTEGER, PRIMARY KEY (a, b)) STRICT, WITHOUT ROWID;\n"
               // Words in a plain table's text are no table option.
               "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT DEFAULT 'STRICT, WITHOUT ROWID');\n");
    const auto schema = inspect(*connection);
    std::map<std::string, std::optional<std::string>> options;
    for (const auto& table : schema.tables) options[table.name] = table.options;
    CHECK(options == std::map<std::string, std::optional<std::string>>{{"codes", "WITHOUT ROWID"},
                                                                       {"counts", "STRICT"},
                                                                       {"notes", std::nullopt},
                                                                       {"pairs", "WITHOUT ROWID, STRICT"}});
}

TEST_CASE("SQLite: a foreign key INITIALLY DEFERRED is read as such; DEFERRABLE alone checks at once",
          "[inspector]") {
    auto connection = test::open_database();
    run_script(*connection,
               "CREATE TABLE parents (id INTEGER PRIMARY KEY, note TEXT DEFAULT 'initially deferred');\n"
               "CREATE TABLE children (id INTEGER PRIMARY KEY,\n"
               "    parent_id INTEGER REFERENCES parents (id) DEFERRABLE INITIALLY DEFERRED,\n"
               "    other_id INTEGER REFERENCES parents DEFERRABLE INITIALLY IMMEDIATE,\n"
               "    CONSTRAINT children_pair FOREIGN KEY (id, \"Other_Id\") REFERENCES pairs (a, b)\n"
               "        DEFERRABLE INITIALLY DEFERRED);\n");
    const auto schema = inspect(*connection);
    const auto* children = schema.find_table("children");
    REQUIRE(children != nullptr);
    std::map<std::string, migrator::schema::Deferral> deferrals;
    for (const auto& key : children->foreign_keys) deferrals[key.columns.front()] = key.deferral;
    CHECK(deferrals == std::map<std::string, migrator::schema::Deferral>{
                           {"parent_id", migrator::schema::Deferral::InitiallyDeferred},
                           {"other_id", migrator::schema::Deferral::NotDeferrable},
                           {"id", migrator::schema::Deferral::InitiallyDeferred}});
}

TEST_CASE("The table filter takes include and then exclude patterns", "[inspector]") {
    CHECK(TableFilter{}.accepts("anything"));
    const TableFilter filter{{"app_*", "users"}, {"app_tmp_*"}};
    CHECK(filter.accepts("app_orders"));
    CHECK(filter.accepts("users"));
    CHECK_FALSE(filter.accepts("app_tmp_x"));
    CHECK_FALSE(filter.accepts("user"));
    CHECK_FALSE(TableFilter{{}, {"*"}}.accepts("users"));

    auto connection = test::open_database();
    run_script(*connection, shop_ddl);
    const auto schema = inspect(*connection, TableFilter{{}, {"cust*"}});
    REQUIRE(schema.tables.size() == 1);
    CHECK(schema.tables[0].name == "orders");
}

TEST_CASE("normalize_default drops PostgreSQL casts and keeps literals", "[inspector]") {
    const auto pg = [](std::string_view text) { return normalize_default(DialectKind::Postgresql, text); };
    CHECK(pg("'draft'::character varying") == "'draft'");
    CHECK(pg("'draft'") == "'draft'");
    CHECK(pg("'2020-01-01 00:00:00'::timestamp without time zone") == "'2020-01-01 00:00:00'");
    CHECK(pg("'{}'::jsonb") == "'{}'");
    CHECK(pg("'-1'::integer") == "-1");
    CHECK(pg("'5'::character varying") == "'5'");
    CHECK(pg("(0)::numeric(10,2)") == "0");
    CHECK(pg("NULL::character varying") == "NULL");
    CHECK(pg("'a'::text || 'b'::text") == "'a' || 'b'");
    CHECK(pg("now()") == "NOW()");
    CHECK(pg("CURRENT_TIMESTAMP") == "CURRENT_TIMESTAMP");
    CHECK(pg("now()") != pg("CURRENT_TIMESTAMP"));
    CHECK(pg("true") == "TRUE");
    CHECK(pg("true") == pg("TRUE"));
    CHECK(pg("E'it\\'s'::text") == "E'it\\'s'");
}

TEST_CASE("normalize_default removes redundant parentheses and upper-cases keywords only outside literals",
          "[inspector]") {
    for (const auto dialect : {DialectKind::Sqlite, DialectKind::Postgresql, DialectKind::Mysql}) {
        CAPTURE(static_cast<int>(dialect));
        CHECK(normalize_default(dialect, "(0)") == "0");
        CHECK(normalize_default(dialect, "((1))") == "1");
        CHECK(normalize_default(dialect, " 0 ") == "0");
        CHECK(normalize_default(dialect, "(1) + (2)") == "(1) + (2)");
        CHECK(normalize_default(dialect, "'(a)'") == "'(a)'");
        CHECK(normalize_default(dialect, "'Mixed Case now()'") == "'Mixed Case now()'");
        CHECK(normalize_default(dialect, "(datetime('now',  'localtime'))") ==
              "DATETIME('now', 'localtime')");
        CHECK(normalize_default(dialect, "lower( 'X' )") == "LOWER('X')");
        CHECK(normalize_default(dialect, "1.5e3") == "1.5e3");
    }
    CHECK(normalize_default(DialectKind::Sqlite, "true") == "TRUE");
}

TEST_CASE("normalize_default speaks MariaDB's spellings", "[inspector]") {
    const auto my = [](std::string_view text) { return normalize_default(DialectKind::Mysql, text); };
    CHECK(my("current_timestamp()") == "CURRENT_TIMESTAMP");
    CHECK(my("current_timestamp()") == my("CURRENT_TIMESTAMP"));
    CHECK(my("current_timestamp(6)") == "CURRENT_TIMESTAMP(6)");
    CHECK(my("TRUE") == "1");
    CHECK(my("false") == "0");
    CHECK(my("TRUE") == my("1"));
    CHECK(my("'true'") == "'true'");
    CHECK(my("'it\\'s'") == "'it\\'s'");
    CHECK(my("now()") == "NOW()");
}

TEST_CASE("normalize_default is idempotent", "[inspector]") {
    const std::vector<std::string> samples = {"'draft'::character varying",
                                              "(('-1'::integer))",
                                              "current_timestamp()",
                                              "TRUE",
                                              "(datetime('now'))",
                                              "'a'::text || 'b'::text",
                                              "E'x\\'y'",
                                              "  ( lower ( 'Q' ) )  ",
                                              "'it''s'"};
    for (const auto dialect : {DialectKind::Sqlite, DialectKind::Postgresql, DialectKind::Mysql}) {
        for (const auto& sample : samples) {
            CAPTURE(sample, static_cast<int>(dialect));
            const auto once = normalize_default(dialect, sample);
            CHECK(normalize_default(dialect, once) == once);
        }
    }
}

TEST_CASE("SQLite: a desired-state file gives the schema of the same DDL run directly", "[inspector]") {
    auto direct = test::open_database();
    run_script(*direct, shop_ddl);
    int opened = 0;
    const auto factory = [&] {
        ++opened;
        return test::open_database();
    };
    auto live = test::open_database();
    const auto desired = migrator::autogenerate::load_desired_state(shop_ddl, "schema.sql", sqlite(), *live,
                                                                    factory, TableFilter{});
    CHECK(opened == 1);
    // The desired state has no version table to skip; the live database is untouched.
    CHECK(desired.find_table("migrator_version") != nullptr);
    CHECK(inspect(*live).tables.empty());
    const auto direct_schema =
        migrator::autogenerate::inspect_schema(*direct, sqlite(), "", "", TableFilter{});
    CHECK(desired == direct_schema);
    CHECK(desired.tables.size() == 3);
}

TEST_CASE("SQLite: a failing desired-state statement names the file and its line", "[inspector]") {
    auto live = test::open_database();
    const std::string sql =
        "CREATE TABLE a (id INTEGER);\n\nCREATE TABLE b (id INTEGER);\nCREATE TABLE a (\n  id INTEGER);\n";
    try {
        migrator::autogenerate::load_desired_state(
            sql, "models/schema.sql", sqlite(), *live, [] { return test::open_database(); }, TableFilter{});
        FAIL("no error");
    } catch (const migrator::Error& error) {
        const std::string message = error.what();
        CHECK(message.rfind("models/schema.sql:4: ", 0) == 0);
        INFO(message);
        CHECK(message.find("table a already exists") != std::string::npos);
        CHECK(message.find('\n') == std::string::npos);
    }
}

TEST_CASE("SQLite: a lone INTEGER PRIMARY KEY is the rowid alias and never NULL", "[inspector]") {
    auto connection = test::open_database();
    run_script(*connection,
               "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT);\n"
               "CREATE TABLE pairs (a INTEGER, b INTEGER, PRIMARY KEY (a, b));\n"
               "CREATE TABLE codes (code TEXT PRIMARY KEY);\n");
    const auto schema = inspect(*connection);
    CHECK(schema.find_table("users")->columns[0].nullability == Nullability::NotNull);
    CHECK(schema.find_table("users")->columns[1].nullability == Nullability::Nullable);
    // Only the rowid alias: other primary-key columns accept NULL in a rowid table.
    CHECK(schema.find_table("pairs")->columns[0].nullability == Nullability::Nullable);
    CHECK(schema.find_table("codes")->columns[0].nullability == Nullability::Nullable);
}

TEST_CASE("SQLite: an index keeps its descending columns, and one with its own COLLATE its text",
          "[inspector]") {
    auto connection = test::open_database();
    run_script(*connection,
               "CREATE TABLE names (id INTEGER PRIMARY KEY, name TEXT, rank INTEGER, collateral TEXT);\n"
               "CREATE INDEX names_rank ON names (rank DESC, name);\n"
               "CREATE INDEX names_name ON names (name COLLATE NOCASE);\n"
               "CREATE INDEX names_collateral ON names (collateral);\n");
    const auto schema = inspect(*connection);
    const auto& indexes = schema.find_table("names")->indexes;
    REQUIRE(indexes.size() == 3);
    CHECK(indexes[0].name == "names_collateral");
    CHECK(indexes[0].definition.empty());
    CHECK(indexes[0].sort_orders.empty());
    CHECK(indexes[1].name == "names_name");
    CHECK(indexes[1].definition == "CREATE INDEX names_name ON names (name COLLATE NOCASE)");
    CHECK(indexes[2].name == "names_rank");
    CHECK(indexes[2].columns == Names{"rank", "name"});
    CHECK(indexes[2].sort_orders == std::vector{SortOrder::Descending, SortOrder::Ascending});
    CHECK(indexes[2].definition.empty());
}

TEST_CASE("SQLite: a column's collation is its last COLLATE clause, upper-cased, and BINARY is none",
          "[inspector]") {
    auto connection = test::open_database();
    // COLLATE in a CHECK or in a table constraint is no column's collation.
    run_script(*connection,
               "CREATE TABLE \"people\" (id INTEGER PRIMARY KEY, [name] TEXT NOT NULL COLLATE nocase, "
               "nick TEXT CHECK (nick <> 'x' COLLATE NOCASE), city TEXT CONSTRAINT c COLLATE RTRIM COLLATE "
               "NOCASE, code TEXT COLLATE BINARY, collateral TEXT, UNIQUE (nick COLLATE NOCASE));\n");
    const auto schema = inspect(*connection);
    const auto& columns = schema.find_table("people")->columns;
    REQUIRE(columns.size() == 6);
    CHECK_FALSE(columns[0].collation);
    CHECK(columns[1].collation == "NOCASE");
    CHECK_FALSE(columns[2].collation);
    CHECK(columns[3].collation == "NOCASE");
    CHECK_FALSE(columns[4].collation);
    CHECK_FALSE(columns[5].collation);
}
