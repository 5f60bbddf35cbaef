#pragma once
// A throw-away database that `migrator test` runs every migration in, never the configured one: a SQLite
// file in a private temporary directory, or `migrator_test_<random>` created on a PostgreSQL or MySQL
// server. It is removed when the object is destroyed, also when the test failed or was interrupted.

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "config/database_url.hpp"
#include "db/connection.hpp"

namespace migrator::command {

/// Opens a connection for a URL (db::connect; a test may pass another).
using ScratchConnect = std::function<std::unique_ptr<db::Connection>(const config::DatabaseUrl&)>;

/// An empty database of its own, and one connection to it.
class ScratchDatabase {
public:
    /// A SQLite file in a new directory under the temporary directory that only this user can read.
    static std::unique_ptr<ScratchDatabase> sqlite_file(const ScratchConnect& connect);
    /// `migrator_test_<12 random hex digits>`, created through a connection to `server` (its database is
    /// where the CREATE runs); the server must be PostgreSQL or MySQL.
    static std::unique_ptr<ScratchDatabase> on_server(const config::DatabaseUrl& server,
                                                      const ScratchConnect& connect);

    /// Closes the connection, then drops the database (or removes the directory); a failure is a warning
    /// naming what is left behind, so that it never hides the test's own result.
    ~ScratchDatabase();
    ScratchDatabase(const ScratchDatabase&) = delete;
    ScratchDatabase& operator=(const ScratchDatabase&) = delete;

    /// The connection to the scratch database.
    db::Connection& connection() { return *connection_; }
    /// The database's name on the server; empty for SQLite.
    [[nodiscard]] const std::string& name() const { return name_; }
    /// For reports: "a SQLite temporary file" or "PostgreSQL database migrator_test_...".
    [[nodiscard]] const std::string& description() const { return description_; }

private:
    ScratchDatabase() = default;

    std::unique_ptr<db::Connection> admin_;  // on a server: the connection that created the database
    std::unique_ptr<db::Connection> connection_;
    std::optional<config::DatabaseUrl> server_;
    std::filesystem::path directory_;  // SQLite: the private directory holding the file
    std::string name_;
    std::string description_;
};

/// "migrator_test_" and 12 random hex digits.
std::string scratch_database_name();

}  // namespace migrator::command
