#pragma once
// The table that records which revisions are applied (Alembic's alembic_version).

#include <string>
#include <vector>

#include "db/connection.hpp"
#include "dialect/dialect.hpp"
#include "runtime/plan.hpp"
#include "util/error.hpp"

namespace migrator::runtime {

/// The version table cannot be read or created: the message names the settings, not a migration.
class VersionTableError : public Error {
public:
    using Error::Error;
};

/// Reads and writes the version table through a Connection.
class VersionTable {
public:
    /// `schema` may be empty; names are checked by the dialect when first used.
    VersionTable(db::Connection& connection, const dialect::Dialect& dialect, std::string schema,
                 std::string table, Mode mode = Mode::Online);

    /// Whether the table exists (online only); throws VersionTableError when it cannot be looked up.
    [[nodiscard]] bool exists();
    /// The revisions recorded; empty when the table does not exist, which is never created here.
    [[nodiscard]] std::vector<std::string> heads();
    /// Creates the table when missing; offline, always emits the CREATE. Throws VersionTableError.
    void ensure();
    /// Runs one row change; online, an UPDATE or DELETE must match exactly one row or Error is thrown.
    void apply(const VersionChange& change);

    /// The schema-qualified, quoted table name.
    [[nodiscard]] std::string qualified_name() const;

private:
    void expect_one_row(const std::string& sql, const std::string& what);
    [[noreturn]] void fail(std::string_view doing, std::string_view reason) const;

    db::Connection& connection_;
    const dialect::Dialect& dialect_;
    std::string schema_;
    std::string table_;
    Mode mode_;
};

}  // namespace migrator::runtime
