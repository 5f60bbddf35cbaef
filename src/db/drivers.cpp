#include "drivers.hpp"

#include <fmt/format.h>

#include "db/connect_failure.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"

namespace migrator::db {

std::unique_ptr<Connection> opening(const config::DatabaseUrl& url,
                                    const std::function<std::unique_ptr<Connection>()>& open) {
    // The whole line is scrubbed: a password could even show up in the redacted URL's host or query.
    try {
        return open();
    } catch (const ConnectionError&) {
        throw;
    } catch (const std::exception& error) {
        throw ConnectionError(
            clean_message(fmt::format("cannot connect to {}: {}", url.redacted(), error.what())),
            ConnectFailure::Other);
    }
}

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

void reject_nul(std::string_view sql) {
    if (sql.find('\0') != std::string_view::npos)
        throw DatabaseError("NUL byte in SQL; the driver would stop at it");
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

void interrupt_failed(std::string_view message) {
    log::warn("could not interrupt the running statement: {}", message);
}

void PendingInterrupt::refuse_statement() const {
    if (pending()) throw DatabaseError("interrupted before the statement started");
}

}  // namespace migrator::db
