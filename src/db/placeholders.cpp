#include "db/placeholders.hpp"

#include <fmt/format.h>

#include "db/connection.hpp"

namespace migrator::db {

// Our catalog queries are plain SQL, so quotes (', ", `) and -- and /* */ comments are all there is to skip.
std::string substitute_placeholders(std::string_view sql, std::size_t count,
                                    const std::function<std::string(std::size_t)>& replacement) {
    std::string out;
    out.reserve(sql.size());
    std::size_t found = 0;
    std::size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i];
        std::size_t end = i + 1;
        if (c == '\'' || c == '"' || c == '`') {
            end = sql.find(c, i + 1);
            end = end == std::string_view::npos ? sql.size() : end + 1;
        } else if (sql.substr(i, 2) == "--") {
            end = sql.find('\n', i);
            if (end == std::string_view::npos) end = sql.size();
        } else if (sql.substr(i, 2) == "/*") {
            end = sql.find("*/", i + 2);
            end = end == std::string_view::npos ? sql.size() : end + 2;
        } else if (c == '?') {
            if (found < count) out += replacement(found);
            ++found;
            ++i;
            continue;
        }
        out.append(sql.substr(i, end - i));
        i = end;
    }
    if (found != count) {
        throw DatabaseError(fmt::format("statement has {} placeholders but {} parameters", found, count));
    }
    return out;
}

}  // namespace migrator::db
