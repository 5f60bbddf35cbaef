// The only translation unit that includes SOCI headers.
#include "migrator/db/soci_connection.hpp"

#include "migrator/db/connect_failure.hpp"

#include <fmt/format.h>
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <charconv>
#include <ctime>
#include <string_view>

#include "migrator/util/error.hpp"

// soci-mysql.h drags in mysql.h, which is not needed (nor always installed) just to name the factory.
namespace soci {
extern "C" {
backend_factory const* factory_mysql();
}
}  // namespace soci

namespace migrator::db {

namespace {

constexpr std::string_view sqlite_busy_timeout_seconds = "30";

// Driver messages span lines; ours are one line, and never show the password.
std::string clean_message(std::string_view message, const std::string& password) {
    std::string out;
    bool pending_space = false;
    for (const char c : message) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out += c;
    }
    if (!password.empty()) {
        for (auto pos = out.find(password); pos != std::string::npos; pos = out.find(password, pos + 3)) {
            out.replace(pos, password.size(), "***");
        }
    }
    return out;
}

std::string error_text(const soci::soci_error& error, const std::string& password) {
    const std::string& message = error.get_error_message();
    return clean_message(message.empty() ? std::string_view(error.what()) : std::string_view(message),
                         password);
}

// SQLite refuses to prepare a statement that is nothing but comments.
bool only_comments(std::string_view sql) {
    std::size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') {
            ++i;
        } else if (sql.substr(i, 2) == "--") {
            i = sql.find('\n', i);
            if (i == std::string_view::npos) return true;
        } else if (sql.substr(i, 2) == "/*") {
            i = sql.find("*/", i + 2);
            if (i == std::string_view::npos) return true;
            i += 2;
        } else {
            return false;
        }
    }
    return true;
}

std::optional<std::string> column_text(const soci::row& row, std::size_t column = 0) {
    if (row.size() <= column || row.get_indicator(column) == soci::i_null) return std::nullopt;
    switch (row.get_properties(column).get_data_type()) {
        case soci::dt_string:
        case soci::dt_xml:
            return row.get<std::string>(column);
        case soci::dt_integer:
            return std::to_string(row.get<int>(column));
        case soci::dt_long_long:
            return std::to_string(row.get<long long>(column));
        case soci::dt_unsigned_long_long:
            return std::to_string(row.get<unsigned long long>(column));
        case soci::dt_double:
            return fmt::format("{}", row.get<double>(column));
        case soci::dt_date: {
            const std::tm when = row.get<std::tm>(column);
            char text[32];
            const auto size = std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &when);
            return std::string(text, size);
        }
        case soci::dt_blob:
            break;
    }
    throw DatabaseError("query returned a column type that cannot be shown as text");
}

// UBSan's downcast check needs the backend's typeinfo, which libsoci_postgresql does not export.
__attribute__((no_sanitize("vptr"))) PGconn* postgresql_handle(soci::session& session) {
    return static_cast<soci::postgresql_session_backend*>(session.get_backend())->conn_;
}

// SOCI's PostgreSQL backend turns ":name" into "$1" outside quotes, which breaks array slices
// and function bodies; statements go to libpq unchanged instead. Returns the affected rows.
std::int64_t postgresql_execute(soci::session& session, const std::string& sql, const std::string& password) {
    PGconn* connection = postgresql_handle(session);
    PGresult* result = PQexec(connection, sql.c_str());
    const auto status = PQresultStatus(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
        const char* message = result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(connection);
        std::string text = clean_message(message, password);
        PQclear(result);
        throw DatabaseError(text);
    }
    const std::string_view rows = PQcmdTuples(result);
    std::int64_t count = 0;
    std::from_chars(rows.data(), rows.data() + rows.size(), count);
    PQclear(result);
    return count;
}

std::vector<std::vector<std::optional<std::string>>> postgresql_query(soci::session& session, const std::string& sql,
                                                                     const std::string& password) {
    PGconn* connection = postgresql_handle(session);
    PGresult* result = PQexec(connection, sql.c_str());
    if (PQresultStatus(result) != PGRES_TUPLES_OK) {
        const char* message = result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(connection);
        std::string text = clean_message(message, password);
        PQclear(result);
        throw DatabaseError(text);
    }
    std::vector<std::vector<std::optional<std::string>>> rows(static_cast<std::size_t>(PQntuples(result)));
    const int columns = PQnfields(result);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        for (int c = 0; c < columns; ++c) {
            const int row_index = static_cast<int>(r);
            if (PQgetisnull(result, row_index, c) != 0) {
                rows[r].emplace_back(std::nullopt);
            } else {
                rows[r].emplace_back(std::string(PQgetvalue(result, row_index, c),
                                                 static_cast<std::size_t>(PQgetlength(result, row_index, c))));
            }
        }
    }
    PQclear(result);
    return rows;
}

class SociConnection final : public Connection {
public:
    SociConnection(dialect::DialectKind kind, const soci::backend_factory& backend,
                   const std::string& connect_string, std::string password)
        : kind_(kind), session_(backend, connect_string), password_(std::move(password)) {}

    void execute(std::string_view sql) override {
        if (only_comments(sql)) return;
        if (kind_ == dialect::DialectKind::Postgresql) {
            postgresql_execute(session_, std::string(sql), password_);
            return;
        }
        try {
            session_ << std::string(sql);
        } catch (const soci::soci_error& error) {
            throw DatabaseError(error_text(error, password_));
        }
    }

    std::optional<std::int64_t> execute_update(std::string_view sql) override {
        if (kind_ == dialect::DialectKind::Postgresql)
            return postgresql_execute(session_, std::string(sql), password_);
        try {
            soci::statement statement = (session_.prepare << std::string(sql));
            statement.execute(true);
            return static_cast<std::int64_t>(statement.get_affected_rows());
        } catch (const soci::soci_error& error) {
            throw DatabaseError(error_text(error, password_));
        }
    }

    std::vector<std::optional<std::string>> query_column(std::string_view sql) override {
        try {
            std::vector<std::optional<std::string>> values;
            const soci::rowset<soci::row> rows = (session_.prepare << std::string(sql));
            for (const auto& row : rows) values.push_back(column_text(row));
            return values;
        } catch (const soci::soci_error& error) {
            throw DatabaseError(error_text(error, password_));
        }
    }

    std::vector<std::vector<std::optional<std::string>>> query_rows(std::string_view sql) override {
        if (kind_ == dialect::DialectKind::Postgresql) return postgresql_query(session_, std::string(sql), password_);
        try {
            std::vector<std::vector<std::optional<std::string>>> values;
            const soci::rowset<soci::row> rows = (session_.prepare << std::string(sql));
            for (const auto& row : rows) {
                auto& columns = values.emplace_back();
                for (std::size_t c = 0; c < row.size(); ++c) columns.push_back(column_text(row, c));
            }
            return values;
        } catch (const soci::soci_error& error) {
            throw DatabaseError(error_text(error, password_));
        }
    }

private:
    dialect::DialectKind kind_;
    soci::session session_;
    std::string password_;
};

// libpq and SOCI's MySQL parser both read key='value' with backslash escapes.
std::string quoted_value(std::string_view value) {
    std::string out = "'";
    for (const char c : value) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    out += '\'';
    return out;
}

void append_option(std::string& connect_string, std::string_view key, std::string_view value) {
    if (!connect_string.empty()) connect_string += ' ';
    connect_string += key;
    connect_string += '=';
    connect_string += quoted_value(value);
}

bool is_option_name(std::string_view key) {
    if (key.empty()) return false;
    for (const char c : key) {
        if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
    }
    return true;
}

std::string sqlite_connect_string(const config::DatabaseUrl& url) {
    const std::string path = url.database.empty() ? ":memory:" : url.database;
    // SOCI's SQLite parser has no escape for a double quote inside a quoted value.
    if (path.find('"') != std::string::npos) throw Error("the SQLite file path must not contain '\"'");
    std::string timeout(sqlite_busy_timeout_seconds);
    for (const auto& [key, value] : url.query) {
        if (key != "timeout") throw Error(fmt::format("unsupported SQLite URL parameter '{}'", key));
        if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos) {
            throw Error(fmt::format("SQLite URL parameter timeout must be whole seconds, not '{}'", value));
        }
        timeout = value;
    }
    return fmt::format("db=\"{}\" timeout={}", path, timeout);
}

std::string postgresql_connect_string(const config::DatabaseUrl& url) {
    std::string out;
    // ?host=/run/postgresql names a socket directory and wins over the URL's host.
    if (!url.host.empty() && url.query.count("host") == 0) append_option(out, "host", url.host);
    if (url.port) append_option(out, "port", std::to_string(*url.port));
    if (!url.database.empty()) append_option(out, "dbname", url.database);
    if (!url.user.empty()) append_option(out, "user", url.user);
    if (!url.password.empty()) append_option(out, "password", url.password);
    for (const auto& [key, value] : url.query) {
        if (!is_option_name(key)) throw Error(fmt::format("invalid PostgreSQL URL parameter '{}'", key));
        append_option(out, key, value);
    }
    return out;
}

std::string mysql_connect_string(const config::DatabaseUrl& url) {
    static constexpr std::string_view passed_through[] = {"unix_socket",  "charset",       "connect_timeout",
                                                          "read_timeout", "write_timeout", "sslca",
                                                          "sslcert",      "sslkey",        "ssl_mode"};
    std::string out;
    if (!url.host.empty()) append_option(out, "host", url.host);
    if (url.port) append_option(out, "port", std::to_string(*url.port));
    if (!url.database.empty()) append_option(out, "db", url.database);
    if (!url.user.empty()) append_option(out, "user", url.user);
    if (!url.password.empty()) append_option(out, "password", url.password);
    for (const auto& [key, value] : url.query) {
        bool known = false;
        for (const auto name : passed_through) known = known || key == name;
        if (!known) throw Error(fmt::format("unsupported MySQL URL parameter '{}'", key));
        append_option(out, key, value);
    }
    return out;
}

}  // namespace

std::unique_ptr<Connection> open_connection(const config::DatabaseUrl& url) {
    const soci::backend_factory* backend = nullptr;
    std::string connect_string;
    switch (url.dialect) {
        case dialect::DialectKind::Sqlite:
            backend = soci::factory_sqlite3();
            connect_string = sqlite_connect_string(url);
            break;
        case dialect::DialectKind::Postgresql:
            backend = soci::factory_postgresql();
            connect_string = postgresql_connect_string(url);
            break;
        case dialect::DialectKind::Mysql:
            backend = soci::factory_mysql();
            connect_string = mysql_connect_string(url);
            break;
    }
    if (backend == nullptr) throw Error(fmt::format("cannot connect to {}: unknown dialect", url.redacted()));
    // The whole line is scrubbed: a password could even show up in the redacted URL's host or query.
    try {
        return std::make_unique<SociConnection>(url.dialect, *backend, connect_string, url.password);
    } catch (const soci::soci_error& error) {
        const auto driver_message = error_text(error, url.password);
        const auto failure = classify_connect_failure(driver_message);
        throw ConnectionError(
            clean_message(describe_connect_failure(failure, url.redacted(), url.user, driver_message),
                          url.password),
            failure);
    } catch (const std::exception& error) {
        throw ConnectionError(
            clean_message(fmt::format("cannot connect to {}: {}", url.redacted(), error.what()),
                          url.password),
            ConnectFailure::Other);
    }
}

}  // namespace migrator::db
