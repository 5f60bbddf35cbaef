#include "config/database_url.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

#include "util/ascii.hpp"
#include "util/strings.hpp"

namespace migrator::config {

namespace {

using dialect::DialectKind;

// Failures never quote the URL or any piece of its authority: a misplaced '@' or ':' can move the
// password into any field, so only fixed text and query keys are ever echoed.
Failure url_failure(std::string_view what) {
    return fail("invalid database URL: " + std::string(what));
}

constexpr std::string_view supported_schemes = "sqlite, postgresql, postgres, mysql, mariadb";
constexpr std::string_view encoding_hint =
    " (percent-encode '@', ':', '/', '?' and '%' in the user name and password, e.g. '@' as %40)";

struct SchemeInfo {
    std::string_view name;
    DialectKind kind;
};
constexpr std::array<SchemeInfo, 5> schemes{{
    {"sqlite", DialectKind::Sqlite},
    {"postgresql", DialectKind::Postgresql},
    {"postgres", DialectKind::Postgresql},
    {"mysql", DialectKind::Mysql},
    {"mariadb", DialectKind::Mysql},
}};

bool is_scheme_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Query strings follow form encoding, where '+' is a space; every other part keeps '+'.
enum class PlusSign { Literal, Space };

Expected<std::string> percent_decode(std::string_view text, std::string_view part, PlusSign plus) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+' && plus == PlusSign::Space) {
            out += ' ';
            continue;
        }
        if (c != '%') {
            out += c;
            continue;
        }
        const int high = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
        const int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
        if (high < 0 || low < 0) {
            return url_failure("bad percent-escape in the " + std::string(part) +
                               " ('%' must be followed by two hex digits)");
        }
        if (high == 0 && low == 0) {
            return url_failure("bad percent-escape in the " + std::string(part) + " (%00 is not allowed)");
        }
        out += static_cast<char>(high * 16 + low);
        i += 2;
    }
    return out;
}

bool is_unreserved(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

std::string percent_encode(std::string_view text, std::string_view also_keep = {}) {
    constexpr std::string_view hex = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        if (is_unreserved(c) || also_keep.find(c) != std::string_view::npos) {
            out += c;
        } else {
            const auto byte = static_cast<unsigned char>(c);
            out += '%';
            out += hex[byte >> 4U];
            out += hex[byte & 0x0FU];
        }
    }
    return out;
}

bool is_secret_query_key(std::string_view key) {
    const std::string lower = util::to_lower(key);
    return lower.find("password") != std::string::npos || lower == "passwd" || lower == "pwd";
}

Expected<std::map<std::string, std::string>> parse_query(std::string_view text) {
    std::map<std::string, std::string> query;
    while (!text.empty()) {
        const auto amp = text.find('&');
        const auto item = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view{} : text.substr(amp + 1);
        if (item.empty()) continue;
        const auto eq = item.find('=');
        auto key = percent_decode(item.substr(0, eq), "query", PlusSign::Space);
        if (!key) return key.error();
        if (key->empty()) return url_failure("query parameter with an empty name");
        // The key is not echoed: a raw '?' in a password would put the rest of it here.
        if (eq == std::string_view::npos) return url_failure("query parameter without '=' (write KEY=VALUE)");
        auto value = percent_decode(item.substr(eq + 1), "query", PlusSign::Space);
        if (!value) return value.error();
        query[std::move(*key)] = std::move(*value);
    }
    return query;
}

Expected<int> parse_port(std::string_view text) {
    if (text.empty()) return url_failure("empty port after ':'");
    if (text.find(':') != std::string_view::npos) {
        return url_failure("bad port; IPv6 host addresses must be written in brackets, e.g. [::1]:5432");
    }
    if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return url_failure("bad port: not a number");
    }
    int port = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
    if (ec != std::errc{} || port < 1 || port > 65535) {
        return url_failure("bad port: out of range (1-65535)");
    }
    return port;
}

// Splits "rest?query" and fills url.query.
Expected<std::string_view> take_query(std::string_view rest, DatabaseUrl& url) {
    const auto question = rest.find('?');
    if (question == std::string_view::npos) return rest;
    auto query = parse_query(rest.substr(question + 1));
    if (!query) return query.error();
    url.query = std::move(*query);
    return rest.substr(0, question);
}

Expected<DatabaseUrl> parse_sqlite(std::string_view rest, DatabaseUrl url) {
    auto path = take_query(rest, url);
    if (!path) return path.error();
    if (path->empty()) {
        url.database = ":memory:";
        return url;
    }
    if (path->front() != '/') {
        return url_failure(
            "sqlite URLs take no host or user: write sqlite:///relative/path.db, sqlite:////absolute/path.db "
            "or sqlite:// for an in-memory database");
    }
    auto database = percent_decode(path->substr(1), "database", PlusSign::Literal);
    if (!database) return database.error();
    url.database = database->empty() ? ":memory:" : std::move(*database);
    return url;
}

// host[:port] or [v6]:port, after the userinfo is cut off.
Expected<DatabaseUrl> parse_host_port(std::string_view host_port, DatabaseUrl url) {
    std::string_view host = host_port;
    std::optional<std::string_view> port_text;
    if (!host_port.empty() && host_port.front() == '[') {
        const auto close = host_port.find(']');
        if (close == std::string_view::npos) return url_failure("unterminated '[' in the host");
        host = host_port.substr(1, close - 1);
        const auto after = host_port.substr(close + 1);
        if (!after.empty() && after.front() != ':')
            return url_failure("unexpected text after ']' in the host");
        if (!after.empty()) port_text = after.substr(1);
        if (host.empty()) return url_failure("empty IPv6 address in '[]'");
    } else if (const auto colon = host_port.find(':'); colon != std::string_view::npos) {
        host = host_port.substr(0, colon);
        port_text = host_port.substr(colon + 1);
    }
    auto decoded_host = percent_decode(host, "host", PlusSign::Literal);
    if (!decoded_host) return decoded_host.error();
    url.host = std::move(*decoded_host);
    if (port_text) {
        auto port = parse_port(*port_text);
        if (!port) return port.error();
        if (url.host.empty()) return url_failure("a port is given but the host is empty");
        url.port = *port;
    }
    return url;
}

Expected<DatabaseUrl> parse_server(std::string_view rest, DatabaseUrl url) {
    const auto authority_end = rest.find_first_of("/?");
    const auto authority = rest.substr(0, authority_end);
    const auto tail =
        authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
    // A raw '/' or '?' in a password cuts the authority short; an '@' left over later betrays it.
    const bool unencoded_userinfo = tail.find('@') != std::string_view::npos;
    const auto with_hint = [&](Failure failure) {
        if (unencoded_userinfo) failure.message += encoding_hint;
        return failure;
    };

    auto host_port = authority;
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        const auto userinfo = authority.substr(0, at);
        host_port = authority.substr(at + 1);
        const auto colon = userinfo.find(':');
        auto user = percent_decode(userinfo.substr(0, colon), "user name", PlusSign::Literal);
        if (!user) return with_hint(user.error());
        url.user = std::move(*user);
        if (colon != std::string_view::npos) {
            auto password = percent_decode(userinfo.substr(colon + 1), "password", PlusSign::Literal);
            if (!password) return with_hint(password.error());
            url.password = std::move(*password);
        }
    }
    auto with_host = parse_host_port(host_port, std::move(url));
    if (!with_host) return with_hint(with_host.error());
    url = std::move(*with_host);

    auto path = take_query(tail, url);
    if (!path) return with_hint(path.error());
    if (!path->empty()) {
        auto database = percent_decode(path->substr(1), "database", PlusSign::Literal);
        if (!database) return with_hint(database.error());
        url.database = std::move(*database);
    }
    if (url.database.empty()) {
        return with_hint(
            url_failure("missing database name for " + url.scheme + " (add '/NAME' after the host)"));
    }
    return url;
}

}  // namespace

std::string DatabaseUrl::redacted() const {
    std::string out = scheme;
    if (!driver.empty()) out += "+" + driver;
    out += "://";
    if (dialect != DialectKind::Sqlite) {
        if (!user.empty() || !password.empty()) {
            out += percent_encode(user);
            if (!password.empty()) out += ":***";
            out += '@';
        }
        out += host.find(':') != std::string::npos ? fmt::format("[{}]", host) : percent_encode(host);
        if (port) out += fmt::format(":{}", *port);
    }
    out += '/';
    out += percent_encode(database, dialect == DialectKind::Sqlite ? "/:" : "");
    char separator = '?';
    for (const auto& [key, value] : query) {
        out += separator;
        out += percent_encode(key) + "=" + (is_secret_query_key(key) ? "***" : percent_encode(value, "/"));
        separator = '&';
    }
    return out;
}

Expected<DatabaseUrl> parse_database_url(std::string_view text) {
    text = util::trim(text);
    if (text.empty()) return url_failure("the URL is empty");
    // C APIs would stop reading at it: "app\0x.db" would open "app".
    if (text.find('\0') != std::string_view::npos) return url_failure("the URL contains a NUL byte");
    const auto separator = text.find("://");
    if (separator == std::string_view::npos) {
        return url_failure("missing '://' (expected e.g. sqlite:///app.db or postgresql://user@host/db)");
    }
    const std::string scheme_text = util::to_lower(text.substr(0, separator));
    if (scheme_text.empty()) return url_failure("missing scheme before '://'");
    for (const char c : scheme_text) {
        if (!is_scheme_char(c)) {
            return url_failure("malformed scheme before '://' (supported: " + std::string(supported_schemes) +
                               ")");
        }
    }

    DatabaseUrl url;
    const auto plus = scheme_text.find('+');
    url.scheme = scheme_text.substr(0, plus);
    if (plus != std::string::npos) {
        url.driver = scheme_text.substr(plus + 1);
        if (url.driver.empty()) return url_failure("empty driver name after '+' in the scheme");
    }
    const auto* info = std::find_if(schemes.begin(), schemes.end(), [&](const SchemeInfo& candidate) {
        return candidate.name == url.scheme;
    });
    if (info == schemes.end()) {
        return url_failure("unsupported scheme '" + url.scheme +
                           "' (supported: " + std::string(supported_schemes) + ")");
    }
    url.dialect = info->kind;

    const auto rest = text.substr(separator + 3);
    if (url.dialect == DialectKind::Sqlite) return parse_sqlite(rest, std::move(url));
    return parse_server(rest, std::move(url));
}

}  // namespace migrator::config
