#pragma once
// `?` placeholders of bound statements, found outside quoted text and comments.

#include <cstddef>
#include <string>
#include <string_view>

namespace migrator::db {

/// `sql` with its n-th `?` outside quotes and comments (0-based) replaced by replacement(n); also
/// returns how many were found.
template <class Replacement>
std::string replace_placeholders(std::string_view sql, Replacement replacement, std::size_t& count) {
    std::string out;
    out.reserve(sql.size() + 16);
    count = 0;
    for (std::size_t i = 0; i < sql.size(); ++i) {
        const char c = sql[i];
        if (c == '\'' || c == '"' || c == '`') {
            const auto end = sql.find(c, i + 1);
            const auto stop = end == std::string_view::npos ? sql.size() : end + 1;
            out.append(sql.substr(i, stop - i));
            i = stop - 1;
        } else if (c == '-' && sql.substr(i, 2) == "--") {
            const auto end = sql.find('\n', i);
            const auto stop = end == std::string_view::npos ? sql.size() : end;
            out.append(sql.substr(i, stop - i));
            i = stop - 1;
        } else if (c == '?') {
            out += replacement(count++);
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace migrator::db
