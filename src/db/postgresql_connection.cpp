// PostgreSQL: SOCI connects and reads single columns; statements, rows and bound queries go to libpq through
// SOCI's native handle, since SOCI's backend rewrites ":name" even in array slices and function bodies.
#include <dlfcn.h>
#include <libpq-fe.h>
#include <soci/postgresql/soci-postgresql.h>

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cstring>

#include "db/locks.hpp"
#include "db/placeholders.hpp"
#include "drivers.hpp"
#include "soci_session.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"

namespace migrator::db {

namespace {

// The PostgreSQL client stack (libpq, ssl, krb5, ldap...) is loaded only when such a URL is used: SOCI
// loads libsoci_postgresql.so.4.0 by name, and the few libpq calls below are looked up in the libpq that
// backend brought in.
constexpr const char* backend_name = "postgresql";
constexpr const char* libpq_soname = "libpq.so.5";
// SQLSTATE lock_not_available: a lock not granted within lock_timeout.
constexpr std::string_view lock_not_available = "55P03";

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
    decltype(PQresultErrorField)* result_error_field;
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
                     libpq_symbol<decltype(PQresultErrorField)>(library, "PQresultErrorField"),
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

// UBSan's downcast check needs the backend's typeinfo, which libsoci_postgresql does not export.
__attribute__((no_sanitize("vptr"))) PGconn* native_handle(soci::session& session) {
    return static_cast<soci::postgresql_session_backend*>(session.get_backend())->conn_;
}

bool is_option_name(std::string_view key) {
    if (key.empty()) return false;
    for (const char c : key) {
        if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
    }
    return true;
}

// Everything but RFC 3986's unreserved characters, so that no space or quote reaches the string.
std::string percent_encoded(std::string_view value) {
    std::string out;
    for (const char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if (util::is_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else {
            out += fmt::format("%{:02X}", static_cast<unsigned>(byte));
        }
    }
    return out;
}

// A postgresql:// URI, which libpq reads as a whole: SOCI splits a key=value string at spaces before
// libpq sees it, so a quoted value with a space (a password) was cut apart.
std::string connect_string(const config::DatabaseUrl& url) {
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
    if (url.query.count("connect_timeout") == 0) append("connect_timeout", default_connect_timeout_seconds);
    return out;
}

class PostgresqlConnection final : public Connection {
public:
    PostgresqlConnection(const soci::connection_parameters& parameters, const config::DatabaseUrl& url)
        : session_(parameters, url), handle_(native_handle(session_.native())) {
        // Taken now: interrupt() runs on another thread while this one uses the session.
        cancel_ = LibPq::get().get_cancel(handle_);
    }

    ~PostgresqlConnection() override {
        if (cancel_ != nullptr) LibPq::get().free_cancel(cancel_);
    }

    PostgresqlConnection(const PostgresqlConnection&) = delete;
    PostgresqlConnection& operator=(const PostgresqlConnection&) = delete;

    // PQcancel is made to be called from another thread.
    void interrupt() override {
        pending_interrupt_.set();
        try {
            std::array<char, 256> message{};
            if (cancel_ != nullptr &&
                LibPq::get().cancel(cancel_, message.data(), static_cast<int>(message.size())) == 0) {
                interrupt_failed(message.data());
            }
        } catch (const std::exception& error) {
            interrupt_failed(clean_message(error.what()));
        }
    }

    void clear_interrupt() override { pending_interrupt_.clear(); }

    void execute(std::string_view sql) override {
        reject_nul(sql);
        if (only_comments(sql, dialect::DialectKind::Postgresql)) return;
        pending_interrupt_.refuse_statement();
        run(std::string(sql));
    }

    std::optional<std::int64_t> execute_update(std::string_view sql) override {
        reject_nul(sql);
        pending_interrupt_.refuse_statement();
        return run(std::string(sql));
    }

    std::vector<std::optional<std::string>> query_column(std::string_view sql) override {
        try {
            return session_.query_column(sql);
        } catch (const DatabaseError&) {
            // SOCI puts its own sentence before the server's message; libpq still holds the server's.
            const std::string message = clean_message(LibPq::get().error_message(handle_));
            if (message.empty()) throw;
            throw DatabaseError(message);
        }
    }

    Rows query_rows(std::string_view sql) override { return query(std::string(sql)); }

    Rows query_bound(std::string_view sql, const Parameters& params) override {
        return query(std::string(sql), &params);
    }

    std::optional<std::int64_t> execute_bound(std::string_view sql, const Parameters& params) override {
        return run(std::string(sql), &params);
    }

    std::unique_ptr<Lock> lock(std::string_view name, std::chrono::seconds timeout) override {
        return postgresql_advisory_lock(*this, name, timeout);
    }

private:
    // Bound parameters go to libpq as text in $n placeholders, so results read as unbound queries' do.
    PGresult* exec(const std::string& sql, const Parameters* params) {
        const LibPq& pq = LibPq::get();
        if (params == nullptr) return pq.exec(handle_, sql.c_str());
        const std::string text = substitute_placeholders(
            sql, params->size(), [](std::size_t n) { return fmt::format("${}", n + 1); });
        std::vector<const char*> values;
        values.reserve(params->size());
        for (const auto& value : *params) values.push_back(value ? value->c_str() : nullptr);
        return pq.exec_params(handle_, text.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                              nullptr, nullptr, 0);
    }

    // The server's message; its SQLSTATE picks the exception a caller may act on.
    [[noreturn]] void fail(PGresult* result) {
        const LibPq& pq = LibPq::get();
        const std::string text =
            clean_message(result != nullptr ? pq.result_error_message(result) : pq.error_message(handle_));
        const char* state = result != nullptr ? pq.result_error_field(result, PG_DIAG_SQLSTATE) : nullptr;
        const bool lock_timeout = state != nullptr && std::string_view(state) == lock_not_available;
        pq.clear(result);
        if (lock_timeout) throw LockNotAvailable(text);
        throw DatabaseError(text);
    }

    // Returns the affected rows.
    std::int64_t run(const std::string& sql, const Parameters* params = nullptr) {
        const LibPq& pq = LibPq::get();
        PGresult* result = exec(sql, params);
        const auto status = pq.result_status(result);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)
            fail(result);
        const std::string_view rows = pq.cmd_tuples(result);
        std::int64_t count = 0;
        std::from_chars(rows.data(), rows.data() + rows.size(), count);
        pq.clear(result);
        return count;
    }

    Rows query(const std::string& sql, const Parameters* params = nullptr) {
        const LibPq& pq = LibPq::get();
        PGresult* result = exec(sql, params);
        if (pq.result_status(result) != PGRES_TUPLES_OK) fail(result);
        Rows rows(static_cast<std::size_t>(pq.ntuples(result)));
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

    SociSession session_;
    PGconn* handle_;
    PGcancel* cancel_ = nullptr;
    PendingInterrupt pending_interrupt_;
};

}  // namespace

std::unique_ptr<Connection> connect_postgresql(const config::DatabaseUrl& url) {
    const soci::connection_parameters parameters(backend_name, connect_string(url));
    return opening(url, [&] { return std::make_unique<PostgresqlConnection>(parameters, url); });
}

}  // namespace migrator::db
