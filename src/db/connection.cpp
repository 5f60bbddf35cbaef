#include "migrator/db/connection.hpp"

namespace migrator::db {

std::vector<std::vector<std::optional<std::string>>> Connection::query_rows(std::string_view /*sql*/) {
    throw DatabaseError("this connection cannot read query results (offline --sql mode)");
}

}  // namespace migrator::db
