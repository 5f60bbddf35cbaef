// SQLite: SOCI opens the file and reads rows; statements go to libsqlite3 through SOCI's native handle.
#include <soci/sqlite3/soci-sqlite3.h>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>

#include "db/connect.hpp"
#include "db/locks.hpp"
#include "drivers.hpp"
#include "soci_session.hpp"
#include "util/error.hpp"

namespace migrator::db {

namespace {

constexpr int default_busy_timeout_seconds = 30;
// SQLite's busy timeout is an int of milliseconds.
constexpr int max_busy_timeout_seconds = std::numeric_limits<int>::max() / 1000;
// How many virtual machine instructions run between two looks at a pending interrupt.
constexpr int interrupt_poll_instructions = 1000;

// UBSan's downcast check needs the backend's typeinfo, which libsoci_sqlite3 does not export.
__attribute__((no_sanitize("vptr"))) sqlite_api::sqlite3* native_handle(soci::session& session) {
    return static_cast<soci::sqlite3_session_backend*>(session.get_backend())->conn_;
}

DatabaseError sqlite_error(sqlite_api::sqlite3* connection) {
    return DatabaseError(clean_message(sqlite_api::sqlite3_errmsg(connection)));
}

// SQLite's own "database is locked" says neither who holds it nor that migrator waited.
DatabaseError sqlite_busy(int busy_timeout_seconds) {
    return DatabaseError(fmt::format(
        "the database is locked by another connection (waited {} s; the URL's ?timeout= sets how long)",
        busy_timeout_seconds));
}

int busy_timeout(const config::DatabaseUrl& url) {
    int timeout = default_busy_timeout_seconds;
    for (const auto& [key, value] : url.query) {
        if (key != "timeout") throw Error(fmt::format("unsupported SQLite URL parameter '{}'", key));
        const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), timeout);
        if (value.empty() || error != std::errc() || end != value.data() + value.size() || timeout < 0 ||
            timeout > max_busy_timeout_seconds) {
            throw Error(
                fmt::format("SQLite URL parameter timeout must be whole seconds from 0 to {}, not '{}'",
                            max_busy_timeout_seconds, value));
        }
    }
    return timeout;
}

std::string connect_string(const config::DatabaseUrl& url, int busy_timeout_seconds) {
    const std::string path = url.database.empty() ? ":memory:" : url.database;
    // SOCI's SQLite parser has no escape for a double quote inside a quoted value.
    if (path.find('"') != std::string::npos) throw Error("the SQLite file path must not contain '\"'");
    return fmt::format("db=\"{}\" timeout={}", path, busy_timeout_seconds);
}

class SqliteConnection final : public Connection {
public:
    SqliteConnection(const soci::connection_parameters& parameters, const config::DatabaseUrl& url,
                     int busy_timeout_seconds)
        : session_(parameters, url),
          // Taken now: interrupt() runs on another thread while this one uses the session.
          handle_(native_handle(session_.native())),
          path_(url.database),
          busy_timeout_seconds_(busy_timeout_seconds) {
        sqlite_api::sqlite3_progress_handler(handle_, interrupt_poll_instructions, &stop_if_interrupted,
                                             this);
    }

    // sqlite3_interrupt is made to be called from another thread, but it is lost when no statement runs
    // at that moment; the progress handler then stops the next statement that starts.
    void interrupt() override {
        pending_interrupt_.set();
        sqlite_api::sqlite3_interrupt(handle_);
    }

    void clear_interrupt() override { pending_interrupt_.clear(); }

    void execute(std::string_view sql) override {
        reject_nul(sql);
        if (only_comments(sql, dialect::DialectKind::Sqlite)) return;
        // After a full disk or an I/O error SQLite may have rolled the transaction back itself;
        // a ROLLBACK then would only fail with "no transaction is active".
        if (sql == "ROLLBACK" && sqlite_api::sqlite3_get_autocommit(handle_) != 0) return;
        run(sql);
    }

    std::optional<std::int64_t> execute_update(std::string_view sql) override {
        reject_nul(sql);
        return run(sql);
    }

    std::vector<std::optional<std::string>> query_column(std::string_view sql) override {
        return session_.query_column(sql);
    }

    Rows query_rows(std::string_view sql) override { return session_.query_rows(sql); }

    Rows query_bound(std::string_view sql, const Parameters& params) override {
        return session_.query_bound(sql, params);
    }

    std::optional<std::int64_t> execute_bound(std::string_view sql, const Parameters& params) override;

    void restore_image(const std::string& image) override;

    // flock on the file; no other process can open an in-memory database.
    std::unique_ptr<Lock> lock(std::string_view /*name*/, std::chrono::seconds timeout) override {
        if (path_.empty() || path_ == ":memory:") return no_lock();
        return file_lock(path_, timeout);
    }

private:
    std::int64_t run(std::string_view sql);

    static int stop_if_interrupted(void* connection) {
        return static_cast<SqliteConnection*>(connection)->pending_interrupt_.pending() ? 1 : 0;
    }

    SociSession session_;
    sqlite_api::sqlite3* handle_;
    std::string path_;
    int busy_timeout_seconds_;
    PendingInterrupt pending_interrupt_;
};

// Straight to SQLite rather than through SOCI's per-statement machinery, which cost more than the
// statement itself. Rows are stepped through to the end, as the sqlite3 shell does. Text after the first
// statement runs too, like sqlite3_exec(): it is never silently dropped. Returns the changed rows.
std::int64_t SqliteConnection::run(std::string_view sql) {
    bool prepared_any = false;
    while (!sql.empty()) {
        sqlite_api::sqlite3_stmt* statement = nullptr;
        const char* tail = nullptr;
        // The text is not NUL-terminated, so its length must stay positive; SQLite refuses 1 GB anyway.
        const auto size =
            static_cast<int>(std::min<std::size_t>(sql.size(), std::numeric_limits<int>::max()));
        if (sqlite_api::sqlite3_prepare_v2(handle_, sql.data(), size, &statement, &tail) != SQLITE_OK) {
            if (sqlite_api::sqlite3_errcode(handle_) == SQLITE_BUSY) throw sqlite_busy(busy_timeout_seconds_);
            throw sqlite_error(handle_);
        }
        const auto consumed = tail != nullptr ? static_cast<std::size_t>(tail - sql.data()) : sql.size();
        sql.remove_prefix(std::max<std::size_t>(std::min(consumed, sql.size()), 1));
        if (statement == nullptr) continue;  // blank, a comment or a lone `;`
        prepared_any = true;
        int status = SQLITE_ROW;
        while (status == SQLITE_ROW) status = sqlite_api::sqlite3_step(statement);
        if (status != SQLITE_DONE) {
            DatabaseError error =
                (status & 0xff) == SQLITE_BUSY ? sqlite_busy(busy_timeout_seconds_) : sqlite_error(handle_);
            sqlite_api::sqlite3_finalize(statement);
            throw error;
        }
        sqlite_api::sqlite3_finalize(statement);
    }
    // SQLite prepares nothing from blank or comment-only text; SOCI refused it with this message.
    if (!prepared_any) throw DatabaseError("No sqlite statement created");
    return sqlite_api::sqlite3_changes(handle_);
}

// The backup API copies the image page by page in one write transaction on this database, so a
// failure leaves it as it was; unlike running the image's CREATE statements, it does not re-read the
// schema after each table.
void SqliteConnection::restore_image(const std::string& image) {
    sqlite_api::sqlite3* source = nullptr;
    const int opened = sqlite_api::sqlite3_open_v2(image.c_str(), &source, SQLITE_OPEN_READONLY, nullptr);
    const auto close_source = [&source] { sqlite_api::sqlite3_close(source); };
    if (opened != SQLITE_OK) {
        DatabaseError error(
            fmt::format("cannot open the database image {}: {}", image,
                        source != nullptr ? sqlite_api::sqlite3_errmsg(source) : "out of memory"));
        close_source();
        throw error;
    }
    sqlite_api::sqlite3_backup* backup = sqlite_api::sqlite3_backup_init(handle_, "main", source, "main");
    if (backup == nullptr) {
        DatabaseError error = sqlite_error(handle_);
        close_source();
        throw error;
    }
    const int stepped = sqlite_api::sqlite3_backup_step(backup, -1);
    const int finished = sqlite_api::sqlite3_backup_finish(backup);
    if (stepped != SQLITE_DONE || finished != SQLITE_OK) {
        DatabaseError error =
            (stepped & 0xff) == SQLITE_BUSY || (stepped & 0xff) == SQLITE_LOCKED
                ? sqlite_busy(busy_timeout_seconds_)
                : DatabaseError(
                      fmt::format("copying the database image {} failed: {}", image,
                                  sqlite_api::sqlite3_errstr(stepped != SQLITE_DONE ? stepped : finished)));
        close_source();
        throw error;
    }
    close_source();
}

// SQLite takes `?` placeholders itself.
std::optional<std::int64_t> SqliteConnection::execute_bound(std::string_view sql, const Parameters& params) {
    sqlite_api::sqlite3_stmt* statement = nullptr;
    const auto size = static_cast<int>(std::min<std::size_t>(sql.size(), std::numeric_limits<int>::max()));
    if (sqlite_api::sqlite3_prepare_v2(handle_, sql.data(), size, &statement, nullptr) != SQLITE_OK) {
        throw sqlite_error(handle_);
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
            DatabaseError error = sqlite_error(handle_);
            sqlite_api::sqlite3_finalize(statement);
            throw error;
        }
    }
    int status = SQLITE_ROW;
    while (status == SQLITE_ROW) status = sqlite_api::sqlite3_step(statement);
    if (status != SQLITE_DONE) {
        DatabaseError error = sqlite_error(handle_);
        sqlite_api::sqlite3_finalize(statement);
        throw error;
    }
    sqlite_api::sqlite3_finalize(statement);
    return sqlite_api::sqlite3_changes(handle_);
}

}  // namespace

void use_sqlite_multithread_mode() {
    // SQLITE_MISUSE once SQLite is initialised: then the default (serialized) mode stays, which is safe.
    static_cast<void>(sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD));
}

std::unique_ptr<Connection> connect_sqlite(const config::DatabaseUrl& url) {
    const int busy_timeout_seconds = busy_timeout(url);
    const soci::connection_parameters parameters(*soci::factory_sqlite3(),
                                                 connect_string(url, busy_timeout_seconds));
    return opening(url,
                   [&] { return std::make_unique<SqliteConnection>(parameters, url, busy_timeout_seconds); });
}

}  // namespace migrator::db
