#include "schema/schema.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace migrator::schema {

const Column* Table::find_column(std::string_view column_name) const {
    const auto found = std::find_if(columns.begin(), columns.end(),
                                    [&](const Column& column) { return column.name == column_name; });
    return found == columns.end() ? nullptr : &*found;
}

std::string TableName::text() const {
    return schema.empty() ? name : schema + "." + name;
}

const Table* Schema::find_table(std::string_view table_name) const {
    return find_table(TableName{{}, std::string(table_name)});
}

const Table* Schema::find_table(const TableName& table_name) const {
    const auto found = std::find_if(tables.begin(), tables.end(), [&](const Table& table) {
        return table.name == table_name.name && table.schema == table_name.schema;
    });
    return found == tables.end() ? nullptr : &*found;
}

const View* Schema::find_view(std::string_view view_name) const {
    const auto found =
        std::find_if(views.begin(), views.end(), [&](const View& view) { return view.name == view_name; });
    return found == views.end() ? nullptr : &*found;
}

std::string describe_type(const ColumnType& type) {
    const auto zone = [&] { return type.time_zone == TimeZone::With ? " with time zone" : ""; };
    switch (type.kind) {
        case TypeKind::Integer:
            return "integer";
        case TypeKind::BigInt:
            return "bigint";
        case TypeKind::SmallInt:
            return "smallint";
        case TypeKind::Boolean:
            return "boolean";
        case TypeKind::String:
            return type.length ? fmt::format("string({})", *type.length) : std::string("string");
        case TypeKind::Text:
            return "text";
        case TypeKind::Numeric:
            if (type.precision && type.scale)
                return fmt::format("numeric({}, {})", *type.precision, *type.scale);
            if (type.precision) return fmt::format("numeric({})", *type.precision);
            return "numeric";
        case TypeKind::Float:
            return "float";
        case TypeKind::Double:
            return "double";
        case TypeKind::Date:
            return "date";
        case TypeKind::Time:
            return std::string("time") + zone();
        case TypeKind::DateTime:
            return std::string("timestamp") + zone();
        case TypeKind::Json:
            return "json";
        case TypeKind::Blob:
            return "blob";
        case TypeKind::Uuid:
            return "uuid";
        case TypeKind::Raw:
            return "raw " + type.raw;
    }
    return "unknown";
}

}  // namespace migrator::schema
