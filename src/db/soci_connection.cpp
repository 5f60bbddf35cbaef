// The only translation unit that includes SOCI headers.
#include "migrator/db/soci_connection.hpp"

#include "migrator/db/connect_failure.hpp"
#include "migrator/db/placeholders.hpp"

#include <dlfcn.h>
#include <fmt/format.h>
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <ctime>
#include <limits>
#include <string_view>

#include "migrator/util/error.hpp"
#include "migrator/util/log.hpp"
#include "migrator/util/redact.hpp"

namespace migrator::db {

namespace {

// The PostgreSQL and MySQL client stacks (libpq, libmariadb, ssl, krb5, ldap...) are loaded only when
// such a URL is used: SOCI loads libsoci_<name>.so.4.0 by name, and the few libpq calls below are looked
// up in the libpq that backend brought in. A SQLite run maps a third of the libraries and memory.
constexpr const char* postgresql_backend = "postgresql";
constexpr const char* mysql_backend = "mysql";
constexpr const char* libpq_soname = "libpq.so.5";

template <typename Function>
Function* libpq_symbol(void* library, const char* name) {
    void* symbol = dlsym(library, name);
    if (symbol == nullptr) throw DatabaseError(fmt::format("{} has no symbol {}", libpq_soname, name));
    return reinterpret_cast<Function*>(symbol);
}

// The libpq functions migrator calls itself, resolved once the PostgreSQL backend has loaded libpq.
struct LibPq {
    decltype(PQexec)* exec;
    decltype(PQexecParams)* exec_params;
    decltype(PQresultStatus)* result_status;
    decltype(PQresultErrorMessage)* result_error_message;
    decltype(PQerrorMessage)* error_message;
    decltype(PQclear)* clear;
    decltype(PQcmdTuples)* cmd_tuples;
    decltype(PQntuples)* ntuples;
    decltype(PQnfields)* nfields;
    decltype(PQgetisnull)* getisnull;
    decltype(PQgetvalue)* getvalue;
    decltype(PQgetlength)* getlength;
    decltype(PQgetCancel)* get_cancel;
    decltype(PQcancel)* cancel;
    decltype(PQfreeCancel)* free_cancel;

    static const LibPq& get() {
        static const LibPq functions = load();
        return functions;
    }

private:
    static LibPq load() {
        // Already mapped by libsoci_postgresql; this only takes a handle on it (and never unloads it).
        void* library = dlopen(libpq_soname, RTLD_NOW | RTLD_LOCAL);
        if (library == nullptr)
            throw DatabaseError(fmt::format("cannot load {}: {}", libpq_soname, dlerror()));
        return LibPq{libpq_symbol<decltype(PQexec)>(library, "PQexec"),
                     libpq_symbol<decltype(PQexecParams)>(library, "PQexecParams"),
                     libpq_symbol<decltype(PQresultStatus)>(library, "PQresultStatus"),
                     libpq_symbol<decltype(PQresultErrorMessage)>(library, "PQresultErrorMessage"),
                     libpq_symbol<decltype(PQerrorMessage)>(library, "PQerrorMessage"),
                     libpq_symbol<decltype(PQclear)>(library, "PQclear"),
                     libpq_symbol<decltype(PQcmdTuples)>(library, "PQcmdTuples"),
                     libpq_symbol<decltype(PQntuples)>(library, "PQntuples"),
                     libpq_symbol<decltype(PQnfields)>(library, "PQnfields"),
                     libpq_symbol<decltype(PQgetisnull)>(library, "PQgetisnull"),
                     libpq_symbol<decltype(PQgetvalue)>(library, "PQgetvalue"),
                     libpq_symbol<decltype(PQgetlength)>(library, "PQgetlength"),
                     libpq_symbol<decltype(PQgetCancel)>(library, "PQgetCancel"),
                     libpq_symbol<decltype(PQcancel)>(library, "PQcancel"),
                     libpq_symbol<decltype(PQfreeCancel)>(library, "PQfreeCancel")};
    }
};

constexpr int sqlite_default_busy_timeout_seconds = 30;
constexpr std::string_view default_connect_timeout_seconds = "10";
// SQLite's busy timeout is an int of milliseconds.
constexpr int sqlite_max_busy_timeout_seconds = std::numeric_limits<int>::max() / 1000;

// Driver messages span lines; ours are one line, and never show the password.
std::string clean_message(std::string_view message) {
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
    return util::redact(out);
}

std::string error_text(const soci::soci_error& error) {
    const std::string& message = error.get_error_message();
    return clean_message(message.empty() ? std::string_view(error.what()) : std::string_view(message));
}

// SQLite refuses to prepare a statement that is nothing but comments. MySQL's `/*! ... */` and
// `/*+ ... */` are SQL the server runs, and an unclosed comment goes to the server, which rejects it.
bool only_comments(std::string_view sql, dialect::DialectKind kind) {
    const bool mysql = kind == dialect::DialectKind::Mysql;
    std::size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i];
        const char after_dashes = i + 2 < sql.size() ? sql[i + 2] : ' ';
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == '\v') {
            ++i;
        } else if ((sql.substr(i, 2) == "--" &&
                    (!mysql || static_cast<unsigned char>(after_dashes) <= ' ')) ||
                   (mysql && c == '#')) {
            i = sql.find('\n', i);
            if (i == std::string_view::npos) return true;
        } else if (sql.substr(i, 2) == "/*" &&
                   !(mysql && (sql.substr(i, 3) == "/*!" || sql.substr(i, 3) == "/*+"))) {
            i = sql.find("*/", i + 2);
            if (i == std::string_view::npos) return false;
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

// Bound parameters go to libpq as text in $n placeholders, so results read as unbound queries' do.
PGresult* postgresql_exec(soci::session& session, const std::string& sql,
                          const Connection::Parameters* params) {
    const LibPq& pq = LibPq::get();
    PGconn* connection = postgresql_handle(session);
    if (params == nullptr) return pq.exec(connection, sql.c_str());
    const std::string text =
        substitute_placeholders(sql, params->size(), [](std::size_t n) { return fmt::format("${}", n + 1); });
    std::vector<const char*> values;
    values.reserve(params->size());
    for (const auto& value : *params) values.push_back(value ? value->c_str() : nullptr);
    return pq.exec_params(connection, text.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                          nullptr, nullptr, 0);
}

// SOCI's PostgreSQL backend turns ":name" into "$1" outside quotes, which breaks array slices
// and function bodies; statements go to libpq unchanged instead. Returns the affected rows.
std::int64_t postgresql_execute(soci::session& session, const std::string& sql,
                                const Connection::Parameters* params = nullptr) {
    const LibPq& pq = LibPq::get();
    PGconn* connection = postgresql_handle(session);
    PGresult* result = postgresql_exec(session, sql, params);
    const auto status = pq.result_status(result);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY) {
        const char* message =
            result != nullptr ? pq.result_error_message(result) : pq.error_message(connection);
        std::string text = clean_message(message);
        pq.clear(result);
        throw DatabaseError(text);
    }
    const std::string_view rows = pq.cmd_tuples(result);
    std::int64_t count = 0;
    std::from_chars(rows.data(), rows.data() + rows.size(), count);
    pq.clear(result);
    return count;
}

std::vector<std::vector<std::optional<std::string>>> postgresql_query(
    soci::session& session, const std::string& sql, const Connection::Parameters* params = nullptr) {
    const LibPq& pq = LibPq::get();
    PGconn* connection = postgresql_handle(session);
    PGresult* result = postgresql_exec(session, sql, params);
    if (pq.result_status(result) != PGRES_TUPLES_OK) {
        const char* message =
            result != nullptr ? pq.result_error_message(result) : pq.error_message(connection);
        std::string text = clean_message(message);
        pq.clear(result);
        throw DatabaseError(text);
    }
    std::vector<std::vector<std::optional<std::string>>> rows(static_cast<std::size_t>(pq.ntuples(result)));
    const int columns = pq.nfields(result);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        for (int c = 0; c < columns; ++c) {
            const int row_index = static_cast<int>(r);
            if (pq.getisnull(result, row_index, c) != 0) {
                rows[r].emplace_back(std::nullopt);
            } else {
                rows[r].emplace_back(
                    std::string(pq.getvalue(result, row_index, c),
                                static_cast<std::size_t>(pq.getlength(result, row_index, c))));
            }
        }
    }
    pq.clear(result);
    return rows;
}

// UBSan's downcast check needs the backend's typeinfo, which libsoci_sqlite3 does not export.
__attribute__((no_sanitize("vptr"))) sqlite_api::sqlite3* sqlite_handle(soci::session& session) {
    return static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_;
}

// SOCI 4.0's prefixes, kept so that messages read as they did when statements went through it.
constexpr std::string_view sqlite_prepare_context = "sqlite3_statement_backend::prepare: ";
constexpr std::string_view sqlite_step_context = "sqlite3_statement_backend::loadOne: ";

DatabaseError sqlite_error(sqlite_api::sqlite3* connection, std::string_view context) {
    return DatabaseError(clean_message(fmt::format("{}{}", context, sqlite_api::sqlite3_errmsg(connection))));
}

// SQLite's own "database is locked" says neither who holds it nor that migrator waited.
DatabaseError sqlite_busy(int busy_timeout_seconds) {
    return DatabaseError(fmt::format(
        "the database is locked by another connection (waited {} s; the URL's ?timeout= sets how long)",
        busy_timeout_seconds));
}

// Straight to SQLite rather than through SOCI's per-statement machinery, which cost more than the
// statement itself. Rows are stepped through to the end, as the sqlite3 shell does. Text after the first
// statement runs too, like sqlite3_exec(): it is never silently dropped. Returns the changed rows.
std::int64_t sqlite_execute(soci::session& session, std::string_view sql, int busy_timeout_seconds) {
    sqlite_api::sqlite3* connection = sqlite_handle(session);
    bool prepared_any = false;
    while (!sql.empty()) {
        sqlite_api::sqlite3_stmt* statement = nullptr;
        const char* tail = nullptr;
        // The text is not NUL-terminated, so its length must stay positive; SQLite refuses 1 GB anyway.
        const auto size =
            static_cast<int>(std::min<std::size_t>(sql.size(), std::numeric_limits<int>::max()));
        if (sqlite_api::sqlite3_prepare_v2(connection, sql.data(), size, &statement, &tail) != SQLITE_OK) {
            if (sqlite_api::sqlite3_errcode(connection) == SQLITE_BUSY)
                throw sqlite_busy(busy_timeout_seconds);
            throw sqlite_error(connection, sqlite_prepare_context);
        }
        const auto consumed = tail != nullptr ? static_cast<std::size_t>(tail - sql.data()) : sql.size();
        sql.remove_prefix(std::max<std::size_t>(std::min(consumed, sql.size()), 1));
        if (statement == nullptr) continue;  // blank, a comment or a lone `;`
        prepared_any = true;
        int status = SQLITE_ROW;
        while (status == SQLITE_ROW) status = sqlite_api::sqlite3_step(statement);
        if (status != SQLITE_DONE) {
            DatabaseError error = (status & 0xff) == SQLITE_BUSY
                                      ? sqlite_busy(busy_timeout_seconds)
                                      : sqlite_error(connection, sqlite_step_context);
            sqlite_api::sqlite3_finalize(statement);
            throw error;
        }
        sqlite_api::sqlite3_finalize(statement);
    }
    // SQLite prepares nothing from blank or comment-only text; SOCI refused it with this message.
    if (!prepared_any) throw DatabaseError("No sqlite statement created");
    return sqlite_api::sqlite3_changes(connection);
}

// Every driver reads SQL up to a NUL: the text after it would silently never run.
void reject_nul(std::string_view sql) {
    if (sql.find('\0') != std::string_view::npos)
        throw DatabaseError("NUL byte in SQL; the driver would stop at it");
}

// SQLite takes `?` placeholders itself.
std::int64_t sqlite_execute_bound(soci::session& session, std::string_view sql,
                                  const Connection::Parameters& params) {
    sqlite_api::sqlite3* connection = sqlite_handle(session);
    sqlite_api::sqlite3_stmt* statement = nullptr;
    const auto size = static_cast<int>(std::min<std::size_t>(sql.size(), std::numeric_limits<int>::max()));
    if (sqlite_api::sqlite3_prepare_v2(connection, sql.data(), size, &statement, nullptr) != SQLITE_OK) {
        throw sqlite_error(connection, sqlite_prepare_context);
    }
    if (statement == nullptr) throw DatabaseError("No sqlite statement created");
    if (static_cast<std::size_t>(sqlite_api::sqlite3_bind_parameter_count(statement)) != params.size()) {
        sqlite_api::sqlite3_finalize(statement);
        throw DatabaseError("the number of bound parameters does not match the statement's placeholders");
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
        const int index = static_cast<int>(i) + 1;
        const int bound =
            params[i] ? sqlite_api::sqlite3_bind_text(statement, index, params[i]->data(),
                                                      static_cast<int>(params[i]->size()), SQLITE_STATIC)
                      : sqlite_api::sqlite3_bind_null(statement, index);
        if (bound != SQLITE_OK) {
            DatabaseError error = sqlite_error(connection, sqlite_prepare_context);
            sqlite_api::sqlite3_finalize(statement);
            throw error;
        }
    }
    int status = SQLITE_ROW;
    while (status == SQLITE_ROW) status = sqlite_api::sqlite3_step(statement);
    if (status != SQLITE_DONE) {
        DatabaseError error = sqlite_error(connection, sqlite_step_context);
        sqlite_api::sqlite3_finalize(statement);
        throw error;
    }
    sqlite_api::sqlite3_finalize(statement);
    return sqlite_api::sqlite3_changes(connection);
}

// SOCI names placeholders; `?` becomes :p1, :p2... and values are bound by position.
struct SociBinding {
    std::string sql;
    std::vector<std::string> values;
    std::vector<soci::indicator> indicators;

    SociBinding(std::string_view text, const Connection::Parameters& params) {
        sql = substitute_placeholders(text, params.size(),
                                      [](std::size_t n) { return fmt::format(":p{}", n + 1); });
        for (const auto& param : params) {
            values.push_back(param.value_or(std::string()));
            indicators.push_back(param ? soci::i_ok : soci::i_null);
        }
    }

    void bind(soci::statement& statement) {
        for (std::size_t i = 0; i < values.size(); ++i)
            statement.exchange(soci::use(values[i], indicators[i]));
    }
};

class SociConnection final : public Connection {
public:
    SociConnection(dialect::DialectKind kind, const soci::connection_parameters& parameters,
                   int busy_timeout_seconds)
        : kind_(kind),
          session_(parameters),
          parameters_(parameters),
          busy_timeout_seconds_(busy_timeout_seconds) {
        // What interrupt() needs is taken now: it runs on another thread while this one uses the session.
        switch (kind_) {
            case dialect::DialectKind::Sqlite:
                sqlite_ = sqlite_handle(session_);
                break;
            case dialect::DialectKind::Postgresql:
                postgresql_cancel_ = LibPq::get().get_cancel(postgresql_handle(session_));
                break;
            case dialect::DialectKind::Mysql: {
                // Read as text: SOCI's into() needs typeinfo its library does not export (UBSan's vptr
                // check).
                const auto id = query_column("SELECT CONNECTION_ID()");
                if (id.size() != 1 || !id[0] || id[0]->empty() ||
                    id[0]->find_first_not_of("0123456789") != std::string::npos)
                    throw DatabaseError("SELECT CONNECTION_ID() returned no connection id");
                mysql_connection_id_ = *id[0];
                break;
            }
        }
    }

    ~SociConnection() override {
        if (postgresql_cancel_ != nullptr) LibPq::get().free_cancel(postgresql_cancel_);
    }

    SociConnection(const SociConnection&) = delete;
    SociConnection& operator=(const SociConnection&) = delete;

    // sqlite3_interrupt and PQcancel are made to be called from another thread; MySQL has no such call,
    // so a second connection runs KILL QUERY, as the mysql client does on Ctrl-C.
    void interrupt() override {
        try {
            switch (kind_) {
                case dialect::DialectKind::Sqlite:
                    sqlite_api::sqlite3_interrupt(sqlite_);
                    return;
                case dialect::DialectKind::Postgresql: {
                    std::array<char, 256> message{};
                    if (postgresql_cancel_ != nullptr &&
                        LibPq::get().cancel(postgresql_cancel_, message.data(),
                                            static_cast<int>(message.size())) == 0) {
                        interrupt_failed(message.data());
                    }
                    return;
                }
                case dialect::DialectKind::Mysql: {
                    soci::session killer(parameters_);
                    killer << "KILL QUERY " + mysql_connection_id_;
                    return;
                }
            }
        } catch (const soci::soci_error& error) {
            interrupt_failed(error_text(error));
        } catch (const std::exception& error) {
            interrupt_failed(clean_message(error.what()));
        }
    }

    void execute(std::string_view sql) override {
        reject_nul(sql);
        if (only_comments(sql, kind_)) return;
        if (kind_ == dialect::DialectKind::Postgresql) {
            postgresql_execute(session_, std::string(sql));
            return;
        }
        if (kind_ == dialect::DialectKind::Sqlite) {
            // After a full disk or an I/O error SQLite may have rolled the transaction back itself;
            // a ROLLBACK then would only fail with "no transaction is active".
            if (sql == "ROLLBACK" && sqlite_api::sqlite3_get_autocommit(sqlite_) != 0) return;
            sqlite_execute(session_, sql, busy_timeout_seconds_);
            return;
        }
        try {
            session_ << std::string(sql);
        } catch (const soci::soci_error& error) {
            throw DatabaseError(error_text(error));
        }
    }

    std::optional<std::int64_t> execute_update(std::string_view sql) override {
        reject_nul(sql);
        if (kind_ == dialect::DialectKind::Postgresql) return postgresql_execute(session_, std::string(sql));
        if (kind_ == dialect::DialectKind::Sqlite)
            return sqlite_execute(session_, sql, busy_timeout_seconds_);
        try {
            soci::statement statement = (session_.prepare << std::string(sql));
            statement.execute(true);
            return static_cast<std::int64_t>(statement.get_affected_rows());
        } catch (const soci::soci_error& error) {
            throw DatabaseError(error_text(error));
        }
    }

    std::vector<std::optional<std::string>> query_column(std::string_view sql) override {
        try {
            std::vector<std::optional<std::string>> values;
            const soci::rowset<soci::row> rows = (session_.prepare << std::string(sql));
            for (const auto& row : rows) values.push_back(column_text(row));
            return values;
        } catch (const soci::soci_error& error) {
            throw DatabaseError(error_text(error));
        }
    }

    std::vector<std::vector<std::optional<std::string>>> query_rows(std::string_view sql) override {
        if (kind_ == dialect::DialectKind::Postgresql) return postgresql_query(session_, std::string(sql));
        try {
            std::vector<std::vector<std::optional<std::string>>> values;
            const soci::rowset<soci::row> rows = (session_.prepare << std::string(sql));
            for (const auto& row : rows) {
                auto& columns = values.emplace_back();
                for (std::size_t c = 0; c < row.size(); ++c) columns.push_back(column_text(row, c));
            }
            return values;
        } catch (const soci::soci_error& error) {
            throw DatabaseError(error_text(error));
        }
    }

    std::vector<std::vector<std::optional<std::string>>> query_bound(std::string_view sql,
                                                                     const Parameters& params) override {
        if (kind_ == dialect::DialectKind::Postgresql)
            return postgresql_query(session_, std::string(sql), &params);
        try {
            SociBinding binding(sql, params);
            soci::row row;
            soci::statement statement(session_);
            statement.alloc();
            binding.bind(statement);
            statement.exchange(soci::into(row));
            statement.prepare(binding.sql);
            statement.define_and_bind();
            std::vector<std::vector<std::optional<std::string>>> values;
            if (!statement.execute(true)) return values;
            do {
                auto& columns = values.emplace_back();
                for (std::size_t c = 0; c < row.size(); ++c) columns.push_back(column_text(row, c));
            } while (statement.fetch());
            return values;
        } catch (const soci::soci_error& error) {
            throw DatabaseError(error_text(error));
        }
    }

    std::optional<std::int64_t> execute_bound(std::string_view sql, const Parameters& params) override {
        if (kind_ == dialect::DialectKind::Postgresql)
            return postgresql_execute(session_, std::string(sql), &params);
        if (kind_ == dialect::DialectKind::Sqlite) return sqlite_execute_bound(session_, sql, params);
        try {
            SociBinding binding(sql, params);
            soci::statement statement(session_);
            statement.alloc();
            binding.bind(statement);
            statement.prepare(binding.sql);
            statement.define_and_bind();
            statement.execute(true);
            return static_cast<std::int64_t>(statement.get_affected_rows());
        } catch (const soci::soci_error& error) {
            throw DatabaseError(error_text(error));
        }
    }

private:
    // The run still stops at the next statement; only a long one goes on.
    static void interrupt_failed(std::string_view message) {
        log::warn("could not interrupt the running statement: {}", message);
    }

    dialect::DialectKind kind_;
    soci::session session_;
    soci::connection_parameters parameters_;  // for MySQL's second connection
    sqlite_api::sqlite3* sqlite_ = nullptr;
    PGcancel* postgresql_cancel_ = nullptr;
    std::string mysql_connection_id_;
    int busy_timeout_seconds_;  // SQLite only
};

// SOCI's MySQL parser reads key='value' with backslash escapes.
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

int sqlite_busy_timeout(const config::DatabaseUrl& url) {
    int timeout = sqlite_default_busy_timeout_seconds;
    for (const auto& [key, value] : url.query) {
        if (key != "timeout") throw Error(fmt::format("unsupported SQLite URL parameter '{}'", key));
        const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), timeout);
        if (value.empty() || error != std::errc() || end != value.data() + value.size() || timeout < 0 ||
            timeout > sqlite_max_busy_timeout_seconds) {
            throw Error(
                fmt::format("SQLite URL parameter timeout must be whole seconds from 0 to {}, not '{}'",
                            sqlite_max_busy_timeout_seconds, value));
        }
    }
    return timeout;
}

std::string sqlite_connect_string(const config::DatabaseUrl& url, int busy_timeout_seconds) {
    const std::string path = url.database.empty() ? ":memory:" : url.database;
    // SOCI's SQLite parser has no escape for a double quote inside a quoted value.
    if (path.find('"') != std::string::npos) throw Error("the SQLite file path must not contain '\"'");
    return fmt::format("db=\"{}\" timeout={}", path, busy_timeout_seconds);
}

// Everything but RFC 3986's unreserved characters, so that no space or quote reaches the string.
std::string percent_encoded(std::string_view value) {
    std::string out;
    for (const char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else {
            out += fmt::format("%{:02X}", static_cast<unsigned>(byte));
        }
    }
    return out;
}

// A postgresql:// URI, which libpq reads as a whole: SOCI splits a key=value string at spaces before
// libpq sees it, so a quoted value with a space (a password) was cut apart.
std::string postgresql_connect_string(const config::DatabaseUrl& url) {
    std::string out = "postgresql://";
    if (!url.user.empty() || !url.password.empty()) {
        out += percent_encoded(url.user);
        if (!url.password.empty()) out += ':' + percent_encoded(url.password);
        out += '@';
    }
    // ?host=/run/postgresql names a socket directory and wins over the URL's host.
    if (!url.host.empty() && url.query.count("host") == 0) {
        out += url.host.find(':') != std::string::npos ? '[' + url.host + ']' : percent_encoded(url.host);
    }
    if (url.port) out += ':' + std::to_string(*url.port);
    out += '/' + percent_encoded(url.database);
    char separator = '?';
    const auto append = [&](std::string_view key, std::string_view value) {
        out += separator;
        out += key;
        out += '=';
        out += percent_encoded(value);
        separator = '&';
    };
    for (const auto& [key, value] : url.query) {
        if (!is_option_name(key)) throw Error(fmt::format("invalid PostgreSQL URL parameter '{}'", key));
        append(key, value);
    }
    // A server that accepts TCP but never answers would otherwise hang the connect for ever.
    if (url.query.count("connect_timeout") == 0) append("connect_timeout", default_connect_timeout_seconds);
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
    if (url.query.count("connect_timeout") == 0)
        append_option(out, "connect_timeout", default_connect_timeout_seconds);
    return out;
}

}  // namespace

void use_sqlite_multithread_mode() {
    // SQLITE_MISUSE once SQLite is initialised: then the default (serialized) mode stays, which is safe.
    static_cast<void>(sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD));
}

std::unique_ptr<Connection> open_connection(const config::DatabaseUrl& url) {
    std::optional<soci::connection_parameters> parameters;
    int busy_timeout_seconds = 0;
    switch (url.dialect) {
        case dialect::DialectKind::Sqlite:
            busy_timeout_seconds = sqlite_busy_timeout(url);
            parameters.emplace(*soci::factory_sqlite3(), sqlite_connect_string(url, busy_timeout_seconds));
            break;
        case dialect::DialectKind::Postgresql:
            parameters.emplace(postgresql_backend, postgresql_connect_string(url));
            break;
        case dialect::DialectKind::Mysql:
            parameters.emplace(mysql_backend, mysql_connect_string(url));
            break;
    }
    if (!parameters) throw Error(fmt::format("cannot connect to {}: unknown dialect", url.redacted()));
    // The whole line is scrubbed: a password could even show up in the redacted URL's host or query.
    try {
        return std::make_unique<SociConnection>(url.dialect, *parameters, busy_timeout_seconds);
    } catch (const soci::soci_error& error) {
        const auto driver_message = error_text(error);
        const auto failure = classify_connect_failure(driver_message);
        throw ConnectionError(
            clean_message(describe_connect_failure(failure, url.redacted(), url.user, driver_message)),
            failure);
    } catch (const std::exception& error) {
        throw ConnectionError(
            clean_message(fmt::format("cannot connect to {}: {}", url.redacted(), error.what())),
            ConnectFailure::Other);
    }
}

}  // namespace migrator::db
