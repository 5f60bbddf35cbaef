#pragma once
// What the three connections share without SOCI, and how connect.cpp reaches each of them. Private to db/.

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "config/database_url.hpp"
#include "db/connection.hpp"
#include "dialect/dialect.hpp"

namespace migrator::db {

/// Opens one backend's connection; URL parameters it does not know are an Error, a refused connection a
/// ConnectionError.
std::unique_ptr<Connection> connect_sqlite(const config::DatabaseUrl& url);
std::unique_ptr<Connection> connect_postgresql(const config::DatabaseUrl& url);
std::unique_ptr<Connection> connect_mysql(const config::DatabaseUrl& url);

/// A server that accepts TCP but never answers would otherwise hang the connect for ever.
inline constexpr std::string_view default_connect_timeout_seconds = "10";

/// Runs `open`; a failure that is not already a ConnectionError becomes one naming the redacted URL.
std::unique_ptr<Connection> opening(const config::DatabaseUrl& url,
                                    const std::function<std::unique_ptr<Connection>()>& open);

/// A driver's message on one line, without the password.
std::string clean_message(std::string_view message);

/// Every driver reads SQL up to a NUL: the text after it would silently never run.
void reject_nul(std::string_view sql);

/// Whether `sql` holds nothing but comments and blanks in `kind`'s comment syntax.
bool only_comments(std::string_view sql, dialect::DialectKind kind);

/// Logs that interrupt() failed; the run still stops at the next statement.
void interrupt_failed(std::string_view message);

/// Every backend drops a cancel that reaches it between two statements (sqlite3_interrupt, PQcancel,
/// KILL QUERY), so the request is kept until cleared: a statement that starts after it is stopped too.
class PendingInterrupt {
public:
    void set() { pending_.store(true, std::memory_order_release); }
    void clear() { pending_.store(false, std::memory_order_release); }
    [[nodiscard]] bool pending() const { return pending_.load(std::memory_order_acquire); }
    /// Throws DatabaseError while an interrupt is pending: a server's statement is refused before it is sent.
    void refuse_statement() const;

private:
    std::atomic<bool> pending_{false};
};

}  // namespace migrator::db
