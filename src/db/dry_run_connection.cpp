#include "db/dry_run_connection.hpp"

namespace migrator::db {

DryRunConnection::DryRunConnection(std::ostream& out, Connection& reader) : printer_(out), reader_(reader) {}

void DryRunConnection::execute(std::string_view sql) {
    printer_.execute(sql);
}

std::optional<std::int64_t> DryRunConnection::execute_update(std::string_view sql) {
    printer_.execute(sql);
    return std::nullopt;
}

std::optional<std::int64_t> DryRunConnection::execute_bound(std::string_view sql, const Parameters& params) {
    return printer_.execute_bound(sql, params);
}

std::vector<std::optional<std::string>> DryRunConnection::query_column(std::string_view sql) {
    return reader_.query_column(sql);
}

std::vector<std::vector<std::optional<std::string>>> DryRunConnection::query_rows(std::string_view sql) {
    return reader_.query_rows(sql);
}

std::vector<std::vector<std::optional<std::string>>> DryRunConnection::query_bound(std::string_view sql,
                                                                                   const Parameters& params) {
    return reader_.query_bound(sql, params);
}

void DryRunConnection::comment(std::string_view text) {
    printer_.comment(text);
}

}  // namespace migrator::db
