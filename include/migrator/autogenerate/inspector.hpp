#pragma once
// Reads a live schema back from the database's catalog.

#include <string>
#include <string_view>
#include <vector>

#include "migrator/db/connection.hpp"
#include "migrator/dialect/dialect.hpp"
#include "migrator/schema/schema.hpp"

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

/// A server default as the dialect's catalog spells it, reduced to one canonical text so that the
/// models' default and the database's compare equal: casts such as ::character varying dropped,
/// redundant parentheses removed, function names upper-cased ("current_timestamp()" ->
/// "CURRENT_TIMESTAMP").
std::string normalize_default(dialect::DialectKind dialect, std::string_view expression);

}  // namespace migrator::autogenerate
