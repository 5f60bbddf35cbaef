#include "migrator/runtime/version_table.hpp"

#include <fmt/format.h>

#include "migrator/util/error.hpp"

namespace migrator::runtime {

VersionTable::VersionTable(db::Connection& connection, const dialect::Dialect& dialect, std::string schema,
                           std::string table, Mode mode)
    : connection_(connection),
      dialect_(dialect),
      schema_(std::move(schema)),
      table_(std::move(table)),
      mode_(mode) {}

std::string VersionTable::qualified_name() const {
    return dialect_.qualified_name(schema_, table_);
}

// A wrong schema (or database) is the usual cause, so the settings are named.
void VersionTable::fail(std::string_view doing, std::string_view reason) const {
    const std::string schema =
        schema_.empty() ? std::string() : fmt::format("version_table_schema '{}', ", schema_);
    throw VersionTableError(fmt::format("cannot {} the version table (settings: {}version_table '{}'): {}",
                                        doing, schema, table_, reason));
}

bool VersionTable::exists() {
    try {
        const auto query = dialect_.version_table_exists(schema_, table_);
        return !connection_.query_bound(query.sql, query.params).empty();
    } catch (const Error& error) {
        fail("look up", error.what());
    }
}

std::vector<std::string> VersionTable::heads() {
    if (!exists()) return {};
    std::vector<std::string> heads;
    for (auto& value :
         connection_.query_column(fmt::format("SELECT version_num FROM {}", qualified_name()))) {
        if (value) heads.push_back(std::move(*value));
    }
    return heads;
}

void VersionTable::ensure() {
    if (mode_ == Mode::Online && exists()) return;
    try {
        connection_.execute(dialect_.create_version_table(schema_, table_));
    } catch (const Error& error) {
        fail("create", error.what());
    }
}

void VersionTable::apply(const VersionChange& change) {
    const std::string table = qualified_name();
    switch (change.kind) {
        case VersionChangeKind::Insert:
            connection_.execute(fmt::format("INSERT INTO {} (version_num) VALUES ({})", table,
                                            dialect_.quote_literal(change.to)));
            return;
        case VersionChangeKind::Update:
            expect_one_row(
                fmt::format("UPDATE {} SET version_num={} WHERE version_num = {}", table,
                            dialect_.quote_literal(change.to), dialect_.quote_literal(change.from)),
                fmt::format("updating '{}' to '{}'", change.from, change.to));
            return;
        case VersionChangeKind::Delete:
            expect_one_row(fmt::format("DELETE FROM {} WHERE version_num = {}", table,
                                       dialect_.quote_literal(change.from)),
                           fmt::format("deleting '{}'", change.from));
            return;
        case VersionChangeKind::Purge:
            // No WHERE: duplicate rows and rows no script knows go too.
            connection_.execute(fmt::format("DELETE FROM {}", table));
            return;
    }
}

// Alembic checks this too: a mismatch means the table and the plan disagree about the heads.
void VersionTable::expect_one_row(const std::string& sql, const std::string& what) {
    if (mode_ == Mode::Offline) {
        connection_.execute(sql);
        return;
    }
    const auto matched = connection_.execute_update(sql);
    if (matched && *matched != 1) {
        throw Error(fmt::format("online migration expected to match one row when {} in {}; {} found", what,
                                table_, *matched));
    }
}

}  // namespace migrator::runtime
