#pragma once
// Short builders for the schema structs, and a live database to run DDL on, shared by the
// autogenerate tests.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/database_url.hpp"
#include "db/connect.hpp"
#include "schema/schema.hpp"

namespace test {

/// A column type of `kind`, with a length for String.
inline migrator::schema::ColumnType type(migrator::schema::TypeKind kind,
                                         std::optional<int> length = std::nullopt) {
    migrator::schema::ColumnType result;
    result.kind = kind;
    result.length = length;
    return result;
}

/// NUMERIC(precision, scale).
inline migrator::schema::ColumnType numeric(int precision, int scale) {
    auto result = type(migrator::schema::TypeKind::Numeric);
    result.precision = precision;
    result.scale = scale;
    return result;
}

/// A type the dialect spells as `text`.
inline migrator::schema::ColumnType raw(std::string text) {
    auto result = type(migrator::schema::TypeKind::Raw);
    result.raw = std::move(text);
    return result;
}

/// A column without autoincrement or comment.
inline migrator::schema::Column column(
    std::string name, migrator::schema::ColumnType column_type = type(migrator::schema::TypeKind::Integer),
    migrator::schema::Nullability nullability = migrator::schema::Nullability::Nullable,
    std::optional<std::string> server_default = {}) {
    return migrator::schema::Column{std::move(name),
                                    std::move(column_type),
                                    nullability,
                                    std::move(server_default),
                                    migrator::schema::AutoIncrement::No,
                                    std::nullopt};
}

/// A table of `columns` and nothing else.
/// A table of the default schema, as operations name it.
inline migrator::schema::TableName table_name(std::string name) {
    return {{}, std::move(name)};
}

inline migrator::schema::Table table(std::string name, std::vector<migrator::schema::Column> columns) {
    migrator::schema::Table result;
    result.name = std::move(name);
    result.columns = std::move(columns);
    return result;
}

/// "users": an id key and an email, the base most cases change one thing of.
inline migrator::schema::Table users() {
    using migrator::schema::TypeKind;
    auto result =
        table("users", {column("id", type(TypeKind::Integer), migrator::schema::Nullability::NotNull),
                        column("email", type(TypeKind::String, 100))});
    result.primary_key = migrator::schema::PrimaryKey{"pk_users", {"id"}};
    return result;
}

/// A live connection to `url`; the default is a fresh in-memory SQLite database.
inline std::unique_ptr<migrator::db::Connection> open_database(const std::string& url = "sqlite://") {
    return migrator::db::connect(migrator::config::parse_database_url(url).value_or_throw());
}

}  // namespace test
