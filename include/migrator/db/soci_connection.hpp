#pragma once
// Opening a live database connection; SOCI itself stays inside soci_connection.cpp.

#include <memory>

#include "migrator/config/database_url.hpp"
#include "migrator/db/connection.hpp"

namespace migrator::db {

/// Connects to the database the URL names; throws Error "cannot connect to <redacted url>: ..." on failure.
std::unique_ptr<Connection> open_connection(const config::DatabaseUrl& url);

}  // namespace migrator::db
