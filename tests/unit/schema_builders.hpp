#pragma once
// Short builders for the schema structs, and a live database to run DDL on, shared by the
// autogenerate tests.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "migrator/autogenerate/schema.hpp"
#include "migrator/config/database_url.hpp"
#include "migrator/db/connect.hpp"

namespace test {

/// A column type of `kind`, with a length for String.
inline migrator::autogenerate::ColumnType type(migrator::autogenerate::TypeKind kind,
                                               std::optional<int> length = std::nullopt) {
    migrator::autogenerate::ColumnType result;
    result.kind = kind;
    result.length = length;
    return result;
}

/// NUMERIC(precision, scale).
inline migrator::autogenerate::ColumnType numeric(int precision, int scale) {
    auto result = type(migrator::autogenerate::TypeKind::Numeric);
    result.precision = precision;
    result.scale = scale;
    return result;
}

/// A type the dialect spells as `text`.
inline migrator::autogenerate::ColumnType raw(std::string text) {
    auto result = type(migrator::autogenerate::TypeKind::Raw);
    result.raw = std::move(text);
    return result;
}

/// A column without autoincrement or comment.
inline migrator::autogenerate::Column column(
    std::string name,
    migrator::autogenerate::ColumnType column_type = type(migrator::autogenerate::TypeKind::Integer),
    migrator::autogenerate::Nullability nullability = migrator::autogenerate::Nullability::Nullable,
    std::optional<std::string> server_default = {}) {
    return migrator::autogenerate::Column{std::move(name),
                                          std::move(column_type),
                                          nullability,
                                          std::move(server_default),
                                          migrator::autogenerate::AutoIncrement::No,
                                          std::nullopt};
}

/// A table of `columns` and nothing else.
inline migrator::autogenerate::Table table(std::string name,
                                           std::vector<migrator::autogenerate::Column> columns) {
    migrator::autogenerate::Table result;
    result.name = std::move(name);
    result.columns = std::move(columns);
    return result;
}

/// "users": an id key and an email, the base most cases change one thing of.
inline migrator::autogenerate::Table users() {
    using migrator::autogenerate::TypeKind;
    auto result =
        table("users", {column("id", type(TypeKind::Integer), migrator::autogenerate::Nullability::NotNull),
                        column("email", type(TypeKind::String, 100))});
    result.primary_key = migrator::autogenerate::PrimaryKey{"pk_users", {"id"}};
    return result;
}

/// A live connection to `url`; the default is a fresh in-memory SQLite database.
inline std::unique_ptr<migrator::db::Connection> open_database(const std::string& url = "sqlite://") {
    return migrator::db::connect(migrator::config::parse_database_url(url).value_or_throw());
}

}  // namespace test
