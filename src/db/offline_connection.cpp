#include "db/offline_connection.hpp"

#include <ostream>

#include "db/placeholders.hpp"
#include "util/error.hpp"

namespace migrator::db {

namespace {

// A `--` comment on the last line would swallow a `;` appended to it.
bool last_line_has_comment(std::string_view sql) {
    const auto line_start = sql.rfind('\n');
    const auto last_line = line_start == std::string_view::npos ? sql : sql.substr(line_start + 1);
    return last_line.find("--") != std::string_view::npos;
}

}  // namespace

OfflineConnection::OfflineConnection(std::ostream& out) : out_(out) {}

void OfflineConnection::execute(std::string_view sql) {
    out_ << sql << (last_line_has_comment(sql) ? "\n;\n" : ";\n");
    wrote_anything_ = true;
}

std::vector<std::optional<std::string>> OfflineConnection::query_column(std::string_view /*sql*/) {
    throw Error("offline mode cannot query the database");
}

std::optional<std::int64_t> OfflineConnection::execute_bound(std::string_view sql, const Parameters& params) {
    execute(substitute_placeholders(sql, params.size(), [&](std::size_t n) {
        if (!params[n]) return std::string("NULL");
        std::string literal = "'";
        for (const char c : *params[n]) literal.append(c == '\'' ? 2 : 1, c);
        return literal + '\'';
    }));
    return std::nullopt;
}

std::vector<std::vector<std::optional<std::string>>> OfflineConnection::query_bound(
    std::string_view sql, const Parameters& /*params*/) {
    return query_rows(sql);
}

void OfflineConnection::comment(std::string_view text) {
    if (wrote_anything_) out_ << '\n';
    out_ << "--";
    if (!text.empty()) out_ << ' ';
    for (const char c : text) out_ << (c == '\n' || c == '\r' ? ' ' : c);
    out_ << '\n';
    wrote_anything_ = true;
}

}  // namespace migrator::db
