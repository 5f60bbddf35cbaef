#pragma once
// SQLAlchemy-style database URLs: sqlite:///rel.db, postgresql://u:p@h:5432/db, mysql://...

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "dialect/dialect.hpp"
#include "util/expected.hpp"

namespace migrator::config {

/// A parsed database URL. The password is kept only here and never rendered.
struct DatabaseUrl {
    dialect::DialectKind dialect = dialect::DialectKind::Sqlite;
    std::string scheme;  // lower-cased, without "+driver": sqlite, postgresql, postgres, mysql, mariadb
    std::string driver;  // "psycopg2" from "postgresql+psycopg2"; kept for display only
    std::string user;
    std::string password;  // percent-decoded
    std::string host;
    std::optional<int> port;
    std::string database;                      // for SQLite, the file path or ":memory:"
    std::map<std::string, std::string> query;  // ?key=value pairs, percent-decoded

    /// The URL with the password replaced by "***", safe for any output.
    [[nodiscard]] std::string redacted() const;
};

/// Parses a URL; a failure names the part that is wrong and never echoes the password.
Expected<DatabaseUrl> parse_database_url(std::string_view url);

}  // namespace migrator::config
