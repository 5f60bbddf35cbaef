#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "autogenerate/column_type_parser.hpp"

using migrator::autogenerate::canonical_words;
using migrator::autogenerate::parse_column_type;
using migrator::schema::ColumnType;
using migrator::schema::TimeZone;
using migrator::schema::TypeKind;

namespace {

ColumnType parsed(const std::string& written) {
    auto type = parse_column_type(written);
    INFO(written);
    if (!type) FAIL(type.error().message);
    return std::move(type).value();
}

std::string failure(const std::string& written) {
    auto type = parse_column_type(written);
    INFO(written);
    REQUIRE_FALSE(type.has_value());
    return type.error().message;
}

}  // namespace

TEST_CASE("canonical_words lower-cases and collapses white space, none around punctuation", "[column_type]") {
    CHECK(canonical_words("TIMESTAMP  With\tTime \n Zone") == "timestamp with time zone");
    CHECK(canonical_words("  Numeric ( 10 ,  2 ) ") == "numeric(10,2)");
    CHECK(canonical_words("SET  NULL") == "set null");
    CHECK(canonical_words("").empty());
    CHECK(canonical_words(" \t ").empty());
}

TEST_CASE("every type name and its parameters parse from the text alone", "[column_type]") {
    CHECK(parsed("integer").kind == TypeKind::Integer);
    CHECK(parsed(" BigInt ").kind == TypeKind::BigInt);
    CHECK(parsed("bytes").kind == TypeKind::Blob);
    CHECK(parsed("datetime").kind == TypeKind::DateTime);

    const auto zoned = parsed("Timestamp WITH time   zone");
    CHECK(zoned.kind == TypeKind::DateTime);
    CHECK(zoned.time_zone == TimeZone::With);
    CHECK(parsed("time without time zone").time_zone == TimeZone::Without);

    const auto string = parsed("string ( 255 )");
    CHECK(string.kind == TypeKind::String);
    CHECK(string.length == 255);
    CHECK_FALSE(parsed("string").length.has_value());

    const auto numeric = parsed("NUMERIC(10, 2)");
    CHECK(numeric.kind == TypeKind::Numeric);
    CHECK(numeric.precision == 10);
    CHECK(numeric.scale == 2);
    const auto precision_only = parsed("numeric(4)");
    CHECK(precision_only.precision == 4);
    CHECK_FALSE(precision_only.scale.has_value());
    CHECK(parsed("numeric(3, 3)").scale == 3);
}

TEST_CASE("a type the grammar refuses says why, without a file or line", "[column_type]") {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"strng(255)",
         "unknown type 'strng(255)' (did you mean 'string'?); valid types: integer, bigint, "
         "smallint, boolean, string, string(n), text, numeric, numeric(p), numeric(p, s), float, "
         "double, date, time, time with time zone, timestamp, timestamp with time zone, "
         "datetime, json, blob, bytes, uuid"},
        {"string(0)", "string length must be at least 1, got 'string(0)'"},
        {"string(1, 2)", "type 'string(1, 2)' takes one length: string(n)"},
        {"string()", "type 'string()' takes one length: string(n)"},
        {"string(n)", "type 'string(n)' takes whole numbers, got 'n'"},
        {"string(-1)", "type 'string(-1)' takes whole numbers, got '-1'"},
        {"string(99999999999)", "type 'string(99999999999)' takes whole numbers, got '99999999999'"},
        {"string(10", "malformed type 'string(10'"},
        {"string(10))", "malformed type 'string(10))'"},
        {"string((10)", "malformed type 'string((10)'"},
        {"string(10) x", "malformed type 'string(10) x'"},
        {"numeric(3, 5)", "numeric scale 5 exceeds precision 3 in 'numeric(3, 5)'"},
        {"numeric(0)", "numeric precision must be at least 1, got 'numeric(0)'"},
        {"numeric(1, 2, 3)", "type 'numeric(1, 2, 3)' takes numeric(p) or numeric(p, s)"},
        {"Integer (4)", "type 'integer' takes no parameters, got 'Integer (4)'"},
    };
    for (const auto& [written, message] : cases) {
        CAPTURE(written);
        CHECK(failure(written) == message);
    }
    CHECK(failure("varchar").rfind("unknown type 'varchar'; valid types: ", 0) == 0);
    CHECK(failure("").rfind("unknown type ''", 0) == 0);
}
