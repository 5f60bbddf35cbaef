#pragma once
// `--dry-run`: reads go to the live database, every statement that would change it is printed instead.

#include <iosfwd>

#include "db/connection.hpp"
#include "db/offline_connection.hpp"

namespace migrator::db {

/// A Connection that answers queries from `reader` and prints statements like OfflineConnection.
class DryRunConnection final : public Connection {
public:
    /// `out` and `reader` must outlive the connection.
    DryRunConnection(std::ostream& out, Connection& reader);

    /// Prints the statement.
    void execute(std::string_view sql) override;
    /// Prints the statement; the rows it would match are unknown.
    std::optional<std::int64_t> execute_update(std::string_view sql) override;
    /// Prints the statement with its values as literals.
    std::optional<std::int64_t> execute_bound(std::string_view sql, const Parameters& params) override;
    /// Asks the live database.
    std::vector<std::optional<std::string>> query_column(std::string_view sql) override;
    /// Asks the live database.
    std::vector<std::vector<std::optional<std::string>>> query_rows(std::string_view sql) override;
    /// Asks the live database.
    std::vector<std::vector<std::optional<std::string>>> query_bound(std::string_view sql,
                                                                     const Parameters& params) override;
    /// Prints `-- text`.
    void comment(std::string_view text) override;

private:
    OfflineConnection printer_;
    Connection& reader_;
};

}  // namespace migrator::db
