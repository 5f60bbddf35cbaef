#include "migrator/db/offline_connection.hpp"

#include <ostream>

#include "migrator/util/error.hpp"

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

void OfflineConnection::comment(std::string_view text) {
    if (wrote_anything_) out_ << '\n';
    out_ << "--";
    if (!text.empty()) out_ << ' ';
    for (const char c : text) out_ << (c == '\n' || c == '\r' ? ' ' : c);
    out_ << '\n';
    wrote_anything_ = true;
}

}  // namespace migrator::db
