#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "schema/schema.hpp"
#include "schema_builders.hpp"

using namespace migrator::schema;
using namespace test;

TEST_CASE("find_table and find_column look names up exactly, or give nullptr", "[schema]") {
    Schema schema{{users(), table("orders", {column("id"), column("user_id")})}, {}, {}, {}};

    REQUIRE(schema.find_table("orders") != nullptr);
    CHECK(schema.find_table("orders") == &schema.tables[1]);
    CHECK(schema.find_table("Orders") == nullptr);
    CHECK(schema.find_table("order") == nullptr);
    CHECK(Schema{}.find_table("users") == nullptr);

    const Table& orders = schema.tables[1];
    CHECK(orders.find_column("user_id") == &orders.columns[1]);
    CHECK(orders.find_column("email") == nullptr);
    CHECK(orders.find_column("") == nullptr);
}

TEST_CASE("describe_type names every kind with its parameters", "[schema]") {
    auto with_zone = [](TypeKind kind) {
        auto result = type(kind);
        result.time_zone = TimeZone::With;
        return result;
    };
    auto numeric_of = [](std::optional<int> precision, std::optional<int> scale) {
        auto result = type(TypeKind::Numeric);
        result.precision = precision;
        result.scale = scale;
        return result;
    };
    const std::vector<std::pair<ColumnType, std::string>> cases = {
        {type(TypeKind::Integer), "integer"},
        {type(TypeKind::BigInt), "bigint"},
        {type(TypeKind::SmallInt), "smallint"},
        {type(TypeKind::Boolean), "boolean"},
        {type(TypeKind::String), "string"},
        {type(TypeKind::String, 255), "string(255)"},
        {type(TypeKind::Text), "text"},
        {numeric_of(std::nullopt, std::nullopt), "numeric"},
        {numeric_of(10, std::nullopt), "numeric(10)"},
        {numeric_of(10, 2), "numeric(10, 2)"},
        {type(TypeKind::Float), "float"},
        {type(TypeKind::Double), "double"},
        {type(TypeKind::Date), "date"},
        {type(TypeKind::Time), "time"},
        {with_zone(TypeKind::Time), "time with time zone"},
        {type(TypeKind::DateTime), "timestamp"},
        {with_zone(TypeKind::DateTime), "timestamp with time zone"},
        {type(TypeKind::Json), "json"},
        {type(TypeKind::Blob), "blob"},
        {type(TypeKind::Uuid), "uuid"},
        {raw("tsvector"), "raw tsvector"},
    };
    for (const auto& [column_type, expected] : cases) CHECK(describe_type(column_type) == expected);
}
