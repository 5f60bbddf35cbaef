// What the SQLite inspector leaves out, on a real in-memory database: each is named as not compared.
#include <catch2/catch.hpp>

#include "autogenerate/unsupported_objects.hpp"
#include "schema_builders.hpp"

using migrator::autogenerate::TableFilter;
using migrator::autogenerate::uncompared_objects;
using migrator::dialect::DialectKind;
using migrator::schema::UncomparedObject;
using Objects = std::vector<UncomparedObject>;

namespace {

Objects uncompared(const std::vector<std::string>& statements, const TableFilter& filter = {}) {
    auto connection = test::open_database();
    for (const auto& statement : statements) connection->execute(statement);
    return uncompared_objects(*connection, migrator::dialect::dialect_for(DialectKind::Sqlite), filter);
}

}  // namespace

TEST_CASE("SQLite: a plain schema has nothing left out", "[unsupported_objects]") {
    CHECK(
        uncompared({"CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)", "CREATE INDEX t_name ON t (name)"})
            .empty());
}

TEST_CASE("SQLite: a constraint's descending columns are named, and column collations are not (compared)",
          "[unsupported_objects]") {
    const std::string people =
        "CREATE TABLE \"people\" (id INTEGER PRIMARY KEY, [name] TEXT NOT NULL COLLATE NOCASE, "
        "nick TEXT CHECK (nick <> 'x' COLLATE NOCASE), city TEXT CONSTRAINT c COLLATE RTRIM COLLATE NOCASE, "
        "UNIQUE (nick COLLATE NOCASE), UNIQUE (city DESC, nick))";
    const auto found = uncompared({
        people,
        // A CREATE INDEX keeps its sort order and its own COLLATE, so neither is named.
        "CREATE INDEX people_city ON people (city DESC, name)",
        "CREATE INDEX people_nick ON people (nick COLLATE NOCASE)",
        // A column named like the keyword is no COLLATE clause.
        "CREATE TABLE loans (id INTEGER PRIMARY KEY, collateral TEXT)",
        "CREATE INDEX loans_collateral ON loans (collateral)",
    });
    CHECK(found == Objects{{"index sort order", "people.sqlite_autoindex_people_2"}});
}

TEST_CASE("SQLite: a foreign key checked at commit is read by the inspector, so not named",
          "[unsupported_objects]") {
    const auto found = uncompared({
        "CREATE TABLE parents (id INTEGER PRIMARY KEY, note TEXT DEFAULT 'initially deferred')",
        "CREATE TABLE children (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parents (id) "
        "DEFERRABLE INITIALLY DEFERRED, other_id INTEGER REFERENCES parents DEFERRABLE INITIALLY IMMEDIATE)",
    });
    CHECK(found.empty());
}

TEST_CASE("SQLite: WITHOUT ROWID and STRICT tables are read by the inspector, so not named",
          "[unsupported_objects]") {
    const auto found = uncompared({
        "CREATE TABLE codes (code TEXT PRIMARY KEY, label TEXT) WITHOUT ROWID",
        "CREATE TABLE pairs (a INTEGER, b INTEGER, PRIMARY KEY (a, b)) STRICT, WITHOUT ROWID",
    });
    CHECK(found.empty());
}

TEST_CASE("SQLite: a table the filter leaves out takes its columns and indexes with it",
          "[unsupported_objects]") {
    TableFilter filter;
    filter.exclude = {"people"};
    const auto found = uncompared(
        {"CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE, UNIQUE (name DESC))",
         "CREATE TABLE pets (id INTEGER PRIMARY KEY, name TEXT, UNIQUE (name DESC))"},
        filter);
    CHECK(found == Objects{{"index sort order", "pets.sqlite_autoindex_pets_1"}});
}
