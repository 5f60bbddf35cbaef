#pragma once
// Opening a live database connection: one implementation per backend, private to db/.

#include <memory>

#include "migrator/config/database_url.hpp"
#include "migrator/db/connection.hpp"

namespace migrator::db {

/// For a process that uses each connection from one thread at a time, as the CLI does: SQLite's
/// multi-thread mode (what the sqlite3 shell runs in) skips the per-connection mutexes. Must come before
/// the first connection; a program that shares one connection between threads must not call it.
void use_sqlite_multithread_mode();

/// Connects to the database the URL names; throws Error "cannot connect to <redacted url>: ..." on failure.
std::unique_ptr<Connection> connect(const config::DatabaseUrl& url);

}  // namespace migrator::db
