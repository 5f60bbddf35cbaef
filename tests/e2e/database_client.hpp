#pragma once
// Running a database's own client (psql, pg_dump, mariadb, mysqldump, sqlite3) on a Project's database.

#include <string>
#include <vector>

#include "e2e_support.hpp"

namespace e2e {

/// Runs `program` on the project's database, its connection options put before `args`: psql / pg_dump
/// (`-d URL`), mariadb (`-D DB`) or mysqldump (the database name after `args`). `sqlite3` gets `args` alone
/// (the SQLite file is app.db in the project's directory).
RunResult run_client(const Project& project, const std::string& program,
                     const std::vector<std::string>& args);

}  // namespace e2e
