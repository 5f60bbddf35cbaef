#pragma once
// The SOCI session the connections share: connecting, reading rows as text, and MySQL's statements.
// Only the connection files include this, so SOCI's headers stay out of the rest of the code.

#include <soci/soci.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "migrator/config/database_url.hpp"
#include "migrator/db/connection.hpp"

namespace migrator::db {

using Rows = std::vector<std::vector<std::optional<std::string>>>;

/// One SOCI session; every soci_error becomes a DatabaseError carrying the database's own text.
class SociSession {
public:
    /// Connects; a refusal is a ConnectionError naming `url` (redacted) and saying why.
    SociSession(const soci::connection_parameters& parameters, const config::DatabaseUrl& url);

    /// For the documented native-handle access (get_backend()).
    soci::session& native() { return session_; }

    void execute(std::string_view sql);
    std::int64_t execute_update(std::string_view sql);
    std::vector<std::optional<std::string>> query_column(std::string_view sql);
    Rows query_rows(std::string_view sql);
    Rows query_bound(std::string_view sql, const Connection::Parameters& params);
    std::int64_t execute_bound(std::string_view sql, const Connection::Parameters& params);

private:
    soci::session session_;
};

/// SOCI's message without its "<backend>::<function>: " prefix, on one line, without the password.
std::string error_text(const soci::soci_error& error);

}  // namespace migrator::db
