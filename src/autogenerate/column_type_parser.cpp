#include "migrator/autogenerate/column_type_parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

#include "migrator/util/strings.hpp"

namespace migrator::autogenerate {

using namespace schema;

namespace {

enum class TypeParameters { None, Length, PrecisionScale };

struct TypeName {
    std::string_view name;
    TypeKind kind;
    TimeZone time_zone;
    TypeParameters parameters;
};

constexpr std::array<TypeName, 23> kTypeNames{{
    {"integer", TypeKind::Integer, TimeZone::Without, TypeParameters::None},
    {"bigint", TypeKind::BigInt, TimeZone::Without, TypeParameters::None},
    {"smallint", TypeKind::SmallInt, TimeZone::Without, TypeParameters::None},
    {"boolean", TypeKind::Boolean, TimeZone::Without, TypeParameters::None},
    {"string", TypeKind::String, TimeZone::Without, TypeParameters::Length},
    {"text", TypeKind::Text, TimeZone::Without, TypeParameters::None},
    {"numeric", TypeKind::Numeric, TimeZone::Without, TypeParameters::PrecisionScale},
    {"float", TypeKind::Float, TimeZone::Without, TypeParameters::None},
    {"double", TypeKind::Double, TimeZone::Without, TypeParameters::None},
    {"date", TypeKind::Date, TimeZone::Without, TypeParameters::None},
    {"time", TypeKind::Time, TimeZone::Without, TypeParameters::None},
    {"time without time zone", TypeKind::Time, TimeZone::Without, TypeParameters::None},
    {"time with time zone", TypeKind::Time, TimeZone::With, TypeParameters::None},
    {"timestamp", TypeKind::DateTime, TimeZone::Without, TypeParameters::None},
    {"timestamp without time zone", TypeKind::DateTime, TimeZone::Without, TypeParameters::None},
    {"timestamp with time zone", TypeKind::DateTime, TimeZone::With, TypeParameters::None},
    {"datetime", TypeKind::DateTime, TimeZone::Without, TypeParameters::None},
    {"datetime without time zone", TypeKind::DateTime, TimeZone::Without, TypeParameters::None},
    {"datetime with time zone", TypeKind::DateTime, TimeZone::With, TypeParameters::None},
    {"json", TypeKind::Json, TimeZone::Without, TypeParameters::None},
    {"blob", TypeKind::Blob, TimeZone::Without, TypeParameters::None},
    {"bytes", TypeKind::Blob, TimeZone::Without, TypeParameters::None},
    {"uuid", TypeKind::Uuid, TimeZone::Without, TypeParameters::None},
}};

constexpr std::string_view kValidTypes =
    "integer, bigint, smallint, boolean, string, string(n), text, numeric, numeric(p), numeric(p, s), float, "
    "double, date, time, time with time zone, timestamp, timestamp with time zone, datetime, json, blob, "
    "bytes, uuid";

std::string quoted(std::string_view text) {
    return "'" + std::string(text) + "'";
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::optional<int> whole_number(std::string_view text) {
    int value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc{} || ptr != end || value < 0) return std::nullopt;
    return value;
}

}  // namespace

std::string canonical_words(std::string_view text) {
    std::string out;
    bool pending_space = false;
    for (const char c : text) {
        if (util::is_space(c)) {
            pending_space = !out.empty();
            continue;
        }
        const bool punctuation = c == '(' || c == ')' || c == ',';
        if (pending_space && !punctuation && out.back() != '(' && out.back() != ',') out += ' ';
        pending_space = false;
        out += lower(c);
    }
    return out;
}

Expected<ColumnType> parse_column_type(std::string_view written) {
    const auto canonical = canonical_words(written);
    const auto open = canonical.find('(');
    const std::string name = canonical.substr(0, open);
    const auto known = std::find_if(kTypeNames.begin(), kTypeNames.end(),
                                    [&](const TypeName& candidate) { return candidate.name == name; });
    if (known == kTypeNames.end()) {
        std::vector<std::string_view> names;
        names.reserve(kTypeNames.size());
        for (const auto& type_name : kTypeNames) names.push_back(type_name.name);
        return fail("unknown type " + quoted(written) + util::did_you_mean(name, names) +
                    "; valid types: " + std::string(kValidTypes));
    }
    ColumnType type;
    type.kind = known->kind;
    type.time_zone = known->time_zone;
    if (open == std::string::npos) return type;

    if (canonical.back() != ')' || canonical.find('(', open + 1) != std::string::npos ||
        canonical.find(')') != canonical.size() - 1) {
        return fail("malformed type " + quoted(written));
    }
    const auto arguments = util::split_list(canonical.substr(open + 1, canonical.size() - open - 2));
    std::vector<int> numbers;
    for (const auto& argument : arguments) {
        const auto number = whole_number(argument);
        if (!number) return fail("type " + quoted(written) + " takes whole numbers, got " + quoted(argument));
        numbers.push_back(*number);
    }
    switch (known->parameters) {
        case TypeParameters::None:
            return fail("type " + quoted(known->name) + " takes no parameters, got " + quoted(written));
        case TypeParameters::Length:
            if (numbers.size() != 1) return fail("type " + quoted(written) + " takes one length: string(n)");
            if (numbers[0] < 1) return fail("string length must be at least 1, got " + quoted(written));
            type.length = numbers[0];
            return type;
        case TypeParameters::PrecisionScale:
            if (numbers.empty() || numbers.size() > 2) {
                return fail("type " + quoted(written) + " takes numeric(p) or numeric(p, s)");
            }
            if (numbers[0] < 1) return fail("numeric precision must be at least 1, got " + quoted(written));
            type.precision = numbers[0];
            if (numbers.size() == 2) {
                if (numbers[1] > numbers[0]) {
                    return fail(fmt::format("numeric scale {} exceeds precision {} in {}", numbers[1],
                                            numbers[0], quoted(written)));
                }
                type.scale = numbers[1];
            }
            return type;
    }
    return type;
}

}  // namespace migrator::autogenerate
