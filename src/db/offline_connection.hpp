#pragma once
// `--sql` mode: statements are printed as a script instead of being run.

#include <iosfwd>

#include "db/connection.hpp"

namespace migrator::db {

/// A Connection that writes each statement, terminated by `;`, to a stream.
class OfflineConnection final : public Connection {
public:
    /// Writes to `out`, which must outlive the connection.
    explicit OfflineConnection(std::ostream& out);

    /// Writes `sql;` on its own line(s).
    void execute(std::string_view sql) override;
    /// Always throws Error: there is no database to ask.
    std::vector<std::optional<std::string>> query_column(std::string_view sql) override;
    /// Writes the statement with each parameter as a quote-doubled string literal (NULL as NULL).
    std::optional<std::int64_t> execute_bound(std::string_view sql, const Parameters& params) override;
    /// Always throws DatabaseError, like query_rows: there is no database to ask.
    std::vector<std::vector<std::optional<std::string>>> query_bound(std::string_view sql,
                                                                     const Parameters& params) override;
    /// Writes `-- text`, preceded by a blank line unless it is the first output.
    void comment(std::string_view text) override;

private:
    std::ostream& out_;
    bool wrote_anything_ = false;
};

}  // namespace migrator::db
