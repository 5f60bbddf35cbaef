#pragma once
// The second model form: a desired-state SQL file, applied to a scratch database and read back.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "autogenerate/inspector.hpp"
#include "db/connection.hpp"
#include "dialect/dialect.hpp"
#include "schema/schema.hpp"

namespace migrator::autogenerate {

/// CREATE DATABASE `name` on the server `live` is connected to; on MySQL with the default collation of
/// live's database, so that a table that names no collation gets the same one in both.
void create_database_like(db::Connection& live, const dialect::Dialect& dialect, const std::string& name);

/// Opens a private in-memory SQLite database (the scratch database for the SQLite dialect).
using ScratchSqliteFactory = std::function<std::unique_ptr<db::Connection>()>;

/// Runs the statements of `sql_text` (split with the script statement splitter, never parsed) in a
/// scratch database of `dialect` and inspects the result: a new in-memory SQLite database; on
/// PostgreSQL a temporary schema on `live` (search_path pointed at it), all in one transaction that is
/// rolled back; on MySQL a temporary database on `live` (USE'd, then the original database restored).
/// The scratch schema or database is gone afterwards, on failure too. A failing statement throws Error
/// "<source_name>:<line>: <database message>"; so does one that would leave the scratch (a transaction
/// statement on PostgreSQL, USE on MySQL, ATTACH on SQLite) or, on PostgreSQL, that changed a
/// relation, type, function or schema outside it.
/// The schema of a desired-state file and the objects it creates that the comparison does not cover.
struct DesiredState {
    schema::Schema schema;
    std::vector<schema::UncomparedObject> not_compared;  // sorted, filtered by table name
};

/// As load_desired_state, also listing the file's objects that inspect_schema does not read (its
/// domain types, events...: see unsupported_objects).
DesiredState load_desired_state_and_uncompared(std::string_view sql_text, std::string_view source_name,
                                               const dialect::Dialect& dialect, db::Connection& live,
                                               const ScratchSqliteFactory& open_scratch_sqlite,
                                               const TableFilter& filter);

schema::Schema load_desired_state(std::string_view sql_text, std::string_view source_name,
                                  const dialect::Dialect& dialect, db::Connection& live,
                                  const ScratchSqliteFactory& open_scratch_sqlite, const TableFilter& filter);

}  // namespace migrator::autogenerate
