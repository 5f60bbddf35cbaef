#include "db/connection.hpp"

namespace migrator::db {

std::vector<std::vector<std::optional<std::string>>> Connection::query_rows(std::string_view /*sql*/) {
    throw DatabaseError("this connection cannot read query results (offline --sql mode)");
}

std::vector<std::vector<std::optional<std::string>>> Connection::query_bound(std::string_view /*sql*/,
                                                                             const Parameters& /*params*/) {
    throw DatabaseError("queries with bound parameters are not supported by this connection");
}

std::optional<std::int64_t> Connection::execute_bound(std::string_view /*sql*/,
                                                      const Parameters& /*params*/) {
    throw DatabaseError("statements with bound parameters are not supported by this connection");
}

void Connection::restore_image(const std::string& /*image*/) {
    throw DatabaseError("only a SQLite database can be restored from a database image");
}

std::unique_ptr<Lock> Connection::lock(std::string_view /*name*/, std::chrono::seconds /*timeout*/) {
    throw DatabaseError("this connection cannot take a lock (offline --sql mode)");
}

}  // namespace migrator::db
