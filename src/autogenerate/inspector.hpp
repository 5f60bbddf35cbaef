#pragma once
// Reads a live schema back from the database's catalog.

#include <string>
#include <string_view>
#include <vector>

#include "db/connection.hpp"
#include "dialect/dialect.hpp"
#include "schema/schema.hpp"

namespace migrator::autogenerate {

/// Which tables take part, in the manner of Alembic's include_object: fnmatch-style patterns.
struct TableFilter {
    std::vector<std::string> include;  // empty: every table
    std::vector<std::string> exclude;  // applied after include
    /// Whether `table_name` takes part.
    [[nodiscard]] bool accepts(std::string_view table_name) const;
};

/// Reads every table of `schema_name` (empty: the connection's default schema / database) that
/// `filter` accepts, skipping `version_table`. Types come back as the portable kinds where the
/// dialect's spelling maps to one (else Raw), defaults normalised with normalize_default, and
/// objects the database adds on its own (MySQL's FK indexes, MariaDB's JSON checks, SQLite's
/// autoindexes) left out. Throws db::DatabaseError when a catalog query fails.
schema::Schema inspect_schema(db::Connection& connection, const dialect::Dialect& dialect,
                              std::string_view schema_name, std::string_view version_table,
                              const TableFilter& filter);

/// The connection's default schema: PostgreSQL's current_schema(), MySQL's DATABASE(); "" on SQLite.
std::string default_schema_name(db::Connection& connection, const dialect::Dialect& dialect);

/// The schemas besides the connection's default one whose names match one of `patterns` (include_schemas,
/// fnmatch-style), in name order. The database's own schemas (pg_*, information_schema; MySQL's mysql, sys,
/// performance_schema) and migrator's scratch schemas never match. SQLite has none.
std::vector<std::string> schemas_matching(db::Connection& connection, const dialect::Dialect& dialect,
                                          const std::vector<std::string>& patterns);

/// What the schemas besides the default one hold: the tables `filter` accepts, each with its schema set
/// and its foreign keys' referred schemas relative to the default schema, and their views, routines,
/// triggers, sequences and types, which are not compared, named "schema.name".
struct OtherSchemas {
    std::vector<schema::Table> tables;
    std::vector<schema::UncomparedObject> not_compared;
};

/// Reads `schema_names` (from schemas_matching), skipping `version_table` (its schema is
/// version_table_schema, so that a version table in an included schema stays migrator's own).
OtherSchemas inspect_other_schemas(db::Connection& connection, const dialect::Dialect& dialect,
                                   const std::vector<std::string>& schema_names,
                                   const schema::TableName& version_table, const TableFilter& filter);

/// A server default as the dialect's catalog spells it, reduced to one canonical text so that the
/// models' default and the database's compare equal: casts such as ::character varying dropped,
/// redundant parentheses removed, function names upper-cased ("current_timestamp()" ->
/// "CURRENT_TIMESTAMP").
std::string normalize_default(dialect::DialectKind dialect, std::string_view expression);

}  // namespace migrator::autogenerate
