// MySQL / MariaDB: everything goes through SOCI, which serves here (the client library is loaded with SOCI's
// backend only when such a URL is used).
#include <fmt/format.h>

#include "db/locks.hpp"
#include "drivers.hpp"
#include "soci_session.hpp"
#include "util/error.hpp"

namespace migrator::db {

namespace {

constexpr const char* backend_name = "mysql";
constexpr std::string_view lock_lease_parameter = "lock_lease";
constexpr std::chrono::seconds default_lock_lease{30};

// How long a Galera lock holder may stay silent before another migrator takes the lock over.
std::chrono::seconds lock_lease(const config::DatabaseUrl& url) {
    const auto found = url.query.find(std::string(lock_lease_parameter));
    if (found == url.query.end()) return default_lock_lease;
    const std::string& text = found->second;
    const bool digits =
        !text.empty() && text.size() <= 5 && text.find_first_not_of("0123456789") == std::string::npos;
    const int seconds = digits ? std::stoi(text) : 0;
    if (seconds < 1 || seconds > 86400) {
        throw Error(fmt::format("URL parameter {}='{}' must be a number of seconds from 1 to 86400",
                                lock_lease_parameter, text));
    }
    return std::chrono::seconds(seconds);
}

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

std::string connect_string(const config::DatabaseUrl& url) {
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
        if (key == lock_lease_parameter) continue;  // migrator's own, not the client library's
        bool known = false;
        for (const auto name : passed_through) known = known || key == name;
        if (!known) throw Error(fmt::format("unsupported MySQL URL parameter '{}'", key));
        append_option(out, key, value);
    }
    if (url.query.count("connect_timeout") == 0)
        append_option(out, "connect_timeout", default_connect_timeout_seconds);
    return out;
}

class MysqlConnection final : public Connection {
public:
    MysqlConnection(const soci::connection_parameters& parameters, const config::DatabaseUrl& url,
                    std::chrono::seconds lease)
        : session_(parameters, url), parameters_(parameters), url_(url), lease_(lease) {
        // Taken now: interrupt() runs on another thread while this one uses the session. Read as text:
        // SOCI's into() needs typeinfo its library does not export (UBSan's vptr check).
        const auto id = query_column("SELECT CONNECTION_ID()");
        if (id.size() != 1 || !id[0] || id[0]->empty() ||
            id[0]->find_first_not_of("0123456789") != std::string::npos)
            throw DatabaseError("SELECT CONNECTION_ID() returned no connection id");
        connection_id_ = *id[0];
    }

    // MySQL has no call to cancel from another thread, so a second connection runs KILL QUERY, as the mysql
    // client does on Ctrl-C.
    void interrupt() override {
        pending_interrupt_.set();
        try {
            soci::session killer(parameters_);
            killer << "KILL QUERY " + connection_id_;
        } catch (const soci::soci_error& error) {
            interrupt_failed(error_text(error));
        } catch (const std::exception& error) {
            interrupt_failed(clean_message(error.what()));
        }
    }

    void clear_interrupt() override { pending_interrupt_.clear(); }

    void execute(std::string_view sql) override {
        reject_nul(sql);
        if (only_comments(sql, dialect::DialectKind::Mysql)) return;
        pending_interrupt_.refuse_statement();
        session_.execute(sql);
    }

    std::optional<std::int64_t> execute_update(std::string_view sql) override {
        reject_nul(sql);
        pending_interrupt_.refuse_statement();
        return session_.execute_update(sql);
    }

    std::vector<std::optional<std::string>> query_column(std::string_view sql) override {
        return session_.query_column(sql);
    }

    Rows query_rows(std::string_view sql) override { return session_.query_rows(sql); }

    Rows query_bound(std::string_view sql, const Parameters& params) override {
        return session_.query_bound(sql, params);
    }

    std::optional<std::int64_t> execute_bound(std::string_view sql, const Parameters& params) override {
        return session_.execute_bound(sql, params);
    }

    // GET_LOCK holds on one node of a Galera cluster only (MariaDB lists it among Galera's limitations),
    // so there the lock is a lease row that every node sees.
    std::unique_ptr<Lock> lock(std::string_view name, std::chrono::seconds timeout) override {
        if (is_galera_node(*this))
            return galera_lease_lock(connect_mysql(url_), url_.database, name, timeout, lease_);
        return mysql_user_lock(*this, url_.database, name, timeout);
    }

private:
    SociSession session_;
    soci::connection_parameters parameters_;  // for interrupt()'s second connection
    config::DatabaseUrl url_;                 // for a Galera lock's own connection
    std::chrono::seconds lease_;
    std::string connection_id_;
    PendingInterrupt pending_interrupt_;
};

}  // namespace

std::unique_ptr<Connection> connect_mysql(const config::DatabaseUrl& url) {
    const soci::connection_parameters parameters(backend_name, connect_string(url));
    const auto lease = lock_lease(url);  // a bad value fails before connecting
    return opening(url, [&] { return std::make_unique<MysqlConnection>(parameters, url, lease); });
}

}  // namespace migrator::db
