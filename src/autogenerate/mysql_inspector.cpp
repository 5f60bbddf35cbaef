// information_schema, five queries per database. MariaDB keeps JSON as LONGTEXT with a
// CHECK (json_valid(col)) of its own, which is read back as the JSON type and not shown as a check.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "inspectors.hpp"
#include "util/ascii.hpp"
#include "util/strings.hpp"

namespace migrator::autogenerate::detail {

using namespace schema;

namespace {

ColumnType mysql_type(const std::string& column_type) {
    ColumnType type;
    const auto spelling = parse_type_spelling(column_type);
    if (!spelling || !spelling->suffix.empty()) {
        type.kind = TypeKind::Raw;
        type.raw = column_type;
        return type;
    }
    const auto& base = spelling->base;
    const auto& arguments = spelling->arguments;
    // Display widths say nothing about the values: the default one ("int(11)" on MariaDB, "int" on MySQL 8)
    // is the portable type; another ("int(3)") is kept as written, so that the column comes back the same.
    struct Integer {
        TypeKind kind;
        int default_width;
    };
    static const std::map<std::string, Integer, std::less<>> integers = {
        {"INT", {TypeKind::Integer, 11}},
        {"BIGINT", {TypeKind::BigInt, 20}},
        {"SMALLINT", {TypeKind::SmallInt, 6}}};
    static const std::map<std::string, TypeKind, std::less<>> plain = {
        {"TEXT", TypeKind::Text}, {"FLOAT", TypeKind::Float},  {"DOUBLE", TypeKind::Double},
        {"DATE", TypeKind::Date}, {"TIME", TypeKind::Time},    {"DATETIME", TypeKind::DateTime},
        {"JSON", TypeKind::Json}, {"LONGBLOB", TypeKind::Blob}};
    if (const auto integer = integers.find(base);
        integer != integers.end() &&
        (arguments.empty() || arguments == std::vector<int>{integer->second.default_width})) {
        type.kind = integer->second.kind;
    } else if (const auto found = plain.find(base); found != plain.end() && arguments.empty()) {
        type.kind = found->second;
    } else if (base == "TINYINT" && arguments == std::vector<int>{1}) {
        type.kind = TypeKind::Boolean;
    } else if (base == "VARCHAR" && arguments.size() == 1) {
        type.kind = TypeKind::String;
        type.length = arguments[0];
    } else if (base == "DECIMAL" && arguments.size() == 2) {
        type.kind = TypeKind::Numeric;
        type.precision = arguments[0];
        type.scale = arguments[1];
    } else if (base == "CHAR" && arguments == std::vector<int>{36}) {
        type.kind = TypeKind::Uuid;
    } else {
        type.kind = TypeKind::Raw;
        type.raw = column_type;
    }
    return type;
}

// "ENGINE=InnoDB ROW_FORMAT=DYNAMIC" from ENGINE and CREATE_OPTIONS ("row_format=DYNAMIC"), keys upper-cased
// as SHOW CREATE TABLE prints them. "partitioned" is no option: a partitioned table is named as not compared.
std::optional<std::string> table_options(const Row& row) {
    std::string options;
    if (const auto engine = text(row, 3); !engine.empty()) options = "ENGINE=" + engine;
    for (const auto& option : util::split_list(text(row, 4), ' ')) {
        const auto equals = option.find('=');
        if (equals == std::string::npos) continue;
        if (!options.empty()) options += ' ';
        options += util::to_upper(option.substr(0, equals)) + option.substr(equals);
    }
    if (options.empty()) return std::nullopt;
    return options;
}

// Whether `clause` is MariaDB's own "json_valid(`column`)" for `column`.
bool is_json_check(std::string_view clause, std::string_view column) {
    std::string compact;
    for (const char c : clause) {
        if (c != ' ' && c != '`') compact += c;
    }
    return util::to_lower(compact) == "json_valid(" + util::to_lower(column) + ")";
}

// "CREATE DEFINER=`u`@`%` FUNCTION ..." -> "CREATE FUNCTION ...".
std::string without_definer(std::string statement) {
    constexpr std::string_view clause = "DEFINER=";
    const auto at = statement.find(clause);
    if (at == std::string::npos || at > statement.find('(')) return statement;
    auto end = at + clause.size();
    // user@host, each part quoted with backticks (a doubled backtick stays inside) or bare.
    for (int part = 0; part < 2 && end < statement.size(); ++part) {
        if (statement[end] == '`') {
            for (++end; end < statement.size(); ++end) {
                if (statement[end] == '`' && (end + 1 >= statement.size() || statement[end + 1] != '`'))
                    break;
                if (statement[end] == '`') ++end;
            }
            ++end;
        } else {
            while (end < statement.size() && statement[end] != '@' && !util::is_space(statement[end])) ++end;
        }
        if (part == 0 && end < statement.size() && statement[end] == '@') ++end;
    }
    while (end < statement.size() && util::is_space(statement[end])) ++end;
    statement.erase(at, end - at);
    return statement;
}

// `text` without each "`database`." in it: catalogs qualify names with the database, which differs between
// the scratch database of a desired-state file and the live one.
std::string without_qualifier(std::string text, const std::string& qualifier) {
    for (auto at = text.find(qualifier); at != std::string::npos; at = text.find(qualifier, at)) {
        text.erase(at, qualifier.size());
    }
    return text;
}

}  // namespace

Schema inspect_mysql(db::Connection& connection, const dialect::Dialect& dialect,
                     std::string_view schema_name, const TableSelection& selection) {
    const auto schema = schema_or_current(connection, schema_name, "SELECT DATABASE()");
    const std::string schema_parameter = "?";

    Schema result;
    const auto tables =
        query_in_schema(connection,
                        "SELECT TABLE_NAME, TABLE_COMMENT, TABLE_COLLATION, ENGINE, CREATE_OPTIONS "
                        "FROM information_schema.TABLES WHERE TABLE_SCHEMA = " +
                            schema_parameter + " AND TABLE_TYPE = 'BASE TABLE'",
                        schema);
    result.tables = selected_tables(tables, selection);
    for (const auto& row : tables) {
        if (Table* table = find_sorted(result.tables, text(row, 0))) table->options = table_options(row);
    }

    // Checks first: a JSON column is recognised by its json_valid check.
    std::set<std::pair<std::string, std::string>> json_columns;
    std::vector<std::pair<std::string, CheckConstraint>> checks;
    for (const auto& row : query_in_schema(
             connection,
             "SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
             "WHERE CONSTRAINT_SCHEMA = " +
                 schema_parameter,
             schema)) {
        checks.push_back({text(row, 0), {text(row, 1), text(row, 2)}});
    }
    // MariaDB names a column-level check after its column.
    std::set<std::pair<std::string, std::string>> json_checks;
    for (const auto& [table_name, check] : checks) {
        if (is_json_check(check.expression, check.name)) json_checks.emplace(table_name, check.name);
    }

    // A default's nextval() names its sequence with the database; so do views.
    const auto qualifier = "`" + schema + "`.";
    const auto columns = query_in_schema(
        connection,
        "SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT, "
        "COLLATION_NAME, GENERATION_EXPRESSION FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = " +
            schema_parameter + " ORDER BY TABLE_NAME, ORDINAL_POSITION",
        schema);
    for (const auto& row : columns) {
        Table* table = find_sorted(result.tables, text(row, 0));
        if (table == nullptr) continue;
        Column column;
        column.name = text(row, 1);
        column.type = mysql_type(text(row, 2));
        if (util::to_lower(text(row, 2)) == "longtext") {
            if (json_checks.count({table->name, column.name}) != 0) {
                column.type = ColumnType{};
                column.type.kind = TypeKind::Json;
                json_columns.emplace(table->name, column.name);
            }
        }
        column.nullability = text(row, 3) == "YES" ? Nullability::Nullable : Nullability::NotNull;
        const auto extra = util::to_lower(text(row, 5));
        if (extra.find("auto_increment") != std::string::npos) column.autoincrement = AutoIncrement::Yes;
        // EXTRA is "VIRTUAL GENERATED" or "STORED GENERATED" (PERSISTENT reads back as STORED).
        if (const auto expression = optional_text(row, 8);
            expression && extra.find("generated") != std::string::npos) {
            column.generated =
                Generated{*expression, extra.find("stored") != std::string::npos ? GeneratedStorage::Stored
                                                                                 : GeneratedStorage::Virtual};
        }
        if (const auto value = optional_text(row, 4); value && extra.find("generated") == std::string::npos) {
            // MariaDB spells "no default" of a nullable column as the literal NULL.
            auto normalized =
                normalize_default(dialect::DialectKind::Mysql, without_qualifier(*value, qualifier));
            if (normalized != "NULL") column.server_default = std::move(normalized);
        }
        if (const auto comment = text(row, 6); !comment.empty()) column.comment = comment;
        // Every character column's, so that MODIFY COLUMN, which replaces the whole definition, keeps it;
        // MariaDB's JSON is LONGTEXT in utf8mb4_bin, which JSON implies.
        if (column.type.kind != TypeKind::Json) column.collation = optional_text(row, 7);
        table->columns.push_back(std::move(column));
    }
    for (auto& [table_name, check] : checks) {
        Table* table = find_sorted(result.tables, table_name);
        if (table == nullptr || json_columns.count({table_name, check.name}) != 0) continue;
        table->checks.push_back(std::move(check));
    }

    const auto keys = query_in_schema(
        connection,
        "SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, "
        "k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.DELETE_RULE, r.UPDATE_RULE, "
        "CASE WHEN k.REFERENCED_TABLE_SCHEMA <> k.TABLE_SCHEMA THEN k.REFERENCED_TABLE_SCHEMA END "
        "FROM information_schema.KEY_COLUMN_USAGE k JOIN information_schema.REFERENTIAL_CONSTRAINTS r "
        "ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.TABLE_NAME = k.TABLE_NAME "
        "AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME "
        "WHERE k.TABLE_SCHEMA = " +
            schema_parameter +
            " AND k.REFERENCED_TABLE_NAME IS NOT NULL ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, "
            "k.ORDINAL_POSITION",
        schema);
    for (const auto key_rows : group_by_table_and_name(keys)) {
        const auto& first = key_rows.front();
        ForeignKey key;
        key.name = text(first, 1);
        key.referred_table = text(first, 3);
        key.referred_schema = text(first, 7);
        key.on_delete = referential_action(text(first, 5));
        key.on_update = referential_action(text(first, 6));
        for (const auto& row : key_rows) {
            key.columns.push_back(text(row, 2));
            key.referred_columns.push_back(text(row, 4));
        }
        if (Table* table = find_sorted(result.tables, text(first, 0)))
            table->foreign_keys.push_back(std::move(key));
    }

    // A UNIQUE constraint is a unique index here; PRIMARY is the primary key.
    const auto indexes =
        query_in_schema(connection,
                        "SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME, SUB_PART, COLLATION "
                        "FROM information_schema.STATISTICS "
                        "WHERE TABLE_SCHEMA = " +
                            schema_parameter + " ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
                        schema);
    for (const auto index_rows : group_by_table_and_name(indexes)) {
        const auto& first = index_rows.front();
        auto index_columns = key_columns(index_rows, 3);
        Table* table = find_sorted(result.tables, text(first, 0));
        if (table == nullptr || index_columns.has_null) continue;
        Index index{text(first, 1),
                    std::move(index_columns.names),
                    text(first, 2) == "0" ? IndexKind::Unique : IndexKind::Plain,
                    {},
                    {}};
        // SUB_PART: the key prefix length of a column indexed by its first characters only.
        if (std::any_of(index_rows.begin(), index_rows.end(), [](const auto& row) { return row[4]; })) {
            for (const auto& row : index_rows) {
                index.prefix_lengths.push_back(row[4] ? std::stoi(*row[4]) : 0);
            }
        }
        // COLLATION: 'A' for an ascending column, 'D' for a descending one (MariaDB 10.8, MySQL 8).
        const auto descending = [](const auto& row) { return row[5] && *row[5] == "D"; };
        if (std::any_of(index_rows.begin(), index_rows.end(), descending)) {
            for (const auto& row : index_rows) {
                index.sort_orders.push_back(descending(row) ? SortOrder::Descending : SortOrder::Ascending);
            }
        }
        if (index.name == "PRIMARY") {
            table->primary_key = PrimaryKey{"", index.columns, index.prefix_lengths};
            continue;
        }
        const bool made_for_foreign_key = std::any_of(
            table->foreign_keys.begin(), table->foreign_keys.end(),
            [&](const ForeignKey& key) { return key.name == index.name && key.columns == index.columns; });
        if (!made_for_foreign_key) table->indexes.push_back(std::move(index));
    }

    // VIEW_DEFINITION qualifies every name with the database: the qualifier is dropped.
    for (const auto& row : query_in_schema(connection,
                                           "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS "
                                           "WHERE TABLE_SCHEMA = " +
                                               schema_parameter + " ORDER BY TABLE_NAME",
                                           schema)) {
        const auto name = text(row, 0);
        if (!selection.wants(name)) continue;
        const auto definition = without_qualifier(text(row, 1), qualifier);
        result.views.push_back(View{name, view_query(definition), ViewKind::Plain, {}});
    }

    // MariaDB's sequences, each read from itself (the catalog has no options); MariaDB 10.11's are all
    // BIGINT.
    for (const auto& row : query_in_schema(
             connection,
             "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + schema_parameter +
                 " AND TABLE_TYPE = 'SEQUENCE' ORDER BY TABLE_NAME",
             schema)) {
        auto name = text(row, 0);
        if (!selection.wants(name)) continue;
        const auto options = connection.query_rows(
            "SELECT start_value, increment, minimum_value, maximum_value, cache_size, cycle_option FROM " +
            dialect.quote_identifier(schema) + "." + dialect.quote_identifier(name));
        if (options.empty()) continue;
        const auto& values = options.front();
        result.sequences.push_back(Sequence{
            std::move(name), "bigint", text(values, 0), text(values, 1), text(values, 2), text(values, 3),
            text(values, 4), text(values, 5) == "1" ? SequenceCycle::Cycle : SequenceCycle::NoCycle});
    }

    // The body as written, in the CREATE TRIGGER statement the mysql client would be given.
    for (const auto& row : query_in_schema(
             connection,
             "SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING, EVENT_MANIPULATION, ACTION_STATEMENT "
             "FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = " +
                 schema_parameter + " ORDER BY TRIGGER_NAME",
             schema)) {
        auto name = text(row, 0);
        auto table = text(row, 1);
        if (!selection.wants(name) || !selection.wants(table)) continue;
        auto definition = fmt::format("CREATE TRIGGER {} {} {} ON {} FOR EACH ROW {}",
                                      dialect.quote_identifier(name), text(row, 2), text(row, 3),
                                      dialect.quote_identifier(table), view_query(text(row, 4)));
        result.triggers.push_back(Trigger{std::move(name), std::move(table), std::move(definition)});
    }

    // SHOW CREATE, without the DEFINER clause, which names the account that happened to create it.
    for (const auto& row :
         query_in_schema(connection,
                         "SELECT ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES "
                         "WHERE ROUTINE_SCHEMA = " +
                             schema_parameter + " ORDER BY ROUTINE_NAME, ROUTINE_TYPE",
                         schema)) {
        auto name = text(row, 0);
        if (!selection.wants(name)) continue;
        const bool procedure = util::to_upper(text(row, 1)) == "PROCEDURE";
        const auto shown = connection.query_rows(
            fmt::format("SHOW CREATE {} {}.{}", procedure ? "PROCEDURE" : "FUNCTION",
                        dialect.quote_identifier(schema), dialect.quote_identifier(name)));
        if (shown.empty()) continue;
        result.routines.push_back(Routine{std::move(name),
                                          procedure ? RoutineKind::Procedure : RoutineKind::Function,
                                          {},
                                          without_definer(view_query(text(shown.front(), 2)))});
    }
    return result;
}

}  // namespace migrator::autogenerate::detail
