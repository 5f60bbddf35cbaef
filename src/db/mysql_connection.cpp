// MySQL / MariaDB: everything goes through SOCI, which serves here (the client library is loaded with SOCI's
// backend only when such a URL is used).
#include <fmt/format.h>

#include "drivers.hpp"
#include "migrator/db/locks.hpp"
#include "migrator/util/error.hpp"
#include "soci_session.hpp"

namespace migrator::db {

namespace {

constexpr const char* backend_name = "mysql";

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
    MysqlConnection(const soci::connection_parameters& parameters, const config::DatabaseUrl& url)
        : session_(parameters, url), parameters_(parameters), database_(url.database) {
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
        try {
            soci::session killer(parameters_);
            killer << "KILL QUERY " + connection_id_;
        } catch (const soci::soci_error& error) {
            interrupt_failed(error_text(error));
        } catch (const std::exception& error) {
            interrupt_failed(clean_message(error.what()));
        }
    }

    void execute(std::string_view sql) override {
        reject_nul(sql);
        if (only_comments(sql, dialect::DialectKind::Mysql)) return;
        session_.execute(sql);
    }

    std::optional<std::int64_t> execute_update(std::string_view sql) override {
        reject_nul(sql);
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

    std::unique_ptr<Lock> lock(std::string_view name, std::chrono::seconds timeout) override {
        return mysql_user_lock(*this, database_, name, timeout);
    }

private:
    SociSession session_;
    soci::connection_parameters parameters_;  // for interrupt()'s second connection
    std::string database_;
    std::string connection_id_;
};

}  // namespace

std::unique_ptr<Connection> connect_mysql(const config::DatabaseUrl& url) {
    const soci::connection_parameters parameters(backend_name, connect_string(url));
    return opening(url, [&] { return std::make_unique<MysqlConnection>(parameters, url); });
}

}  // namespace migrator::db
