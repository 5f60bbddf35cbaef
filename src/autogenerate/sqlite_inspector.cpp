// SQLite keeps no constraint names in its pragmas, so they are read from the CREATE TABLE text
// in sqlite_master, the way SQLAlchemy does; everything else comes from the table-valued pragmas.
#include <algorithm>
#include <map>

#include "inspectors.hpp"
#include "util/ascii.hpp"
#include "util/strings.hpp"

namespace migrator::autogenerate::detail {

using namespace schema;

namespace {

enum class TokenKind { Word, QuotedName, String, Symbol };

struct Token {
    TokenKind kind = TokenKind::Symbol;
    std::string text;  // a name without its quotes; a symbol's character
    std::size_t begin = 0;
    std::size_t end = 0;
};

std::vector<Token> tokenize(std::string_view sql) {
    std::vector<Token> tokens;
    std::size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i];
        const auto start = i;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            ++i;
        } else if (sql.substr(i, 2) == "--") {
            i = std::min(sql.find('\n', i), sql.size());
        } else if (sql.substr(i, 2) == "/*") {
            const auto close = sql.find("*/", i + 2);
            i = close == std::string_view::npos ? sql.size() : close + 2;
        } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
            const char close = c == '[' ? ']' : c;
            std::string content;
            ++i;
            while (i < sql.size()) {
                if (sql[i] == close && close != ']' && i + 1 < sql.size() && sql[i + 1] == close) {
                    content += close;
                    i += 2;
                } else if (sql[i] == close) {
                    ++i;
                    break;
                } else {
                    content += sql[i++];
                }
            }
            tokens.push_back({c == '\'' ? TokenKind::String : TokenKind::QuotedName, content, start, i});
        } else if (util::is_alnum(c) || c == '_' || c == '$') {
            while (i < sql.size() && (util::is_alnum(sql[i]) || sql[i] == '_' || sql[i] == '$')) {
                ++i;
            }
            tokens.push_back({TokenKind::Word, std::string(sql.substr(start, i - start)), start, i});
        } else {
            ++i;
            tokens.push_back({TokenKind::Symbol, std::string(1, c), start, i});
        }
    }
    return tokens;
}

bool is_keyword(const Token& token, std::string_view keyword) {
    return token.kind == TokenKind::Word && util::iequals(token.text, keyword);
}

bool has_keyword(std::string_view sql, std::string_view keyword) {
    const auto tokens = tokenize(sql);
    return std::any_of(tokens.begin(), tokens.end(),
                       [&](const Token& token) { return is_keyword(token, keyword); });
}

bool is_symbol(const Token& token, char symbol) {
    return token.kind == TokenKind::Symbol && token.text.size() == 1 && token.text[0] == symbol;
}

enum class ScannedKind { PrimaryKey, Unique, Check, ForeignKey };

// A named constraint as the CREATE TABLE text declares it.
struct ScannedConstraint {
    ScannedKind kind = ScannedKind::Check;
    std::string name;
    std::vector<std::string> columns;
    std::string expression;  // CHECK only
};

struct TableScan {
    std::vector<ScannedConstraint> constraints;
    std::vector<CollatedColumn> collated_columns;        // in order; BINARY, the default, left out
    std::vector<GeneratedColumn> generated_columns;      // in order, each expression as written
    std::vector<DeferredReference> deferred_references;  // foreign keys DEFERRABLE INITIALLY DEFERRED
    bool autoincrement = false;
};

// The index of the ')' matching the '(' at `open`, or tokens.size().
std::size_t matching_parenthesis(const std::vector<Token>& tokens, std::size_t open) {
    int depth = 0;
    for (std::size_t i = open; i < tokens.size(); ++i) {
        if (is_symbol(tokens[i], '(')) ++depth;
        if (is_symbol(tokens[i], ')') && --depth == 0) return i;
    }
    return tokens.size();
}

// "(a COLLATE nocase, b DESC)" at `open`: the first name of each item.
std::vector<std::string> column_list(const std::vector<Token>& tokens, std::size_t open) {
    std::vector<std::string> columns;
    const auto close = matching_parenthesis(tokens, open);
    bool item_start = true;
    for (std::size_t i = open + 1; i < close; ++i) {
        if (is_symbol(tokens[i], ',')) {
            item_start = true;
        } else if (item_start) {
            columns.push_back(tokens[i].text);
            item_start = false;
        }
    }
    return columns;
}

TableScan scan_create_table(std::string_view sql) {
    static constexpr std::string_view table_level[] = {"constraint", "primary", "unique", "check", "foreign"};
    const auto tokens = tokenize(sql);
    TableScan scan;
    for (const auto& token : tokens)
        scan.autoincrement = scan.autoincrement || is_keyword(token, "autoincrement");
    auto i = std::size_t{0};
    while (i < tokens.size() && !is_symbol(tokens[i], '(')) ++i;
    int depth = 0;
    bool definition_start = true;
    std::string current_column;
    // The foreign key being read in the current definition: FOREIGN KEY's columns, then what it refers to.
    std::vector<std::string> key_columns;
    std::optional<DeferredReference> reference;
    for (; i < tokens.size(); ++i) {
        const auto& token = tokens[i];
        if (is_symbol(token, '(')) {
            definition_start = ++depth == 1;
            continue;
        }
        if (is_symbol(token, ')')) {
            --depth;
            continue;
        }
        if (depth != 1) continue;
        if (is_symbol(token, ',')) {
            definition_start = true;
            key_columns.clear();
            reference.reset();
            continue;
        }
        if (is_keyword(token, "foreign") && i + 2 < tokens.size() && is_keyword(tokens[i + 1], "key") &&
            is_symbol(tokens[i + 2], '(')) {
            key_columns = column_list(tokens, i + 2);
        }
        if (is_keyword(token, "references") && i + 1 < tokens.size()) {
            reference = DeferredReference{
                key_columns.empty() ? std::vector<std::string>{current_column} : key_columns,
                tokens[i + 1].text};
        }
        if (is_keyword(token, "initially") && i + 1 < tokens.size() &&
            is_keyword(tokens[i + 1], "deferred") && reference) {
            scan.deferred_references.push_back(*reference);
            reference.reset();
        }
        if (definition_start) {
            definition_start = false;
            const bool constraint = token.kind == TokenKind::Word &&
                                    std::find(std::begin(table_level), std::end(table_level),
                                              util::to_lower(token.text)) != std::end(table_level);
            current_column = constraint ? std::string() : token.text;
            if (!constraint) continue;
        }
        // [GENERATED ALWAYS] AS (expression): no other column clause has AS before a parenthesis.
        if (is_keyword(token, "as") && !current_column.empty() && i + 1 < tokens.size() &&
            is_symbol(tokens[i + 1], '(')) {
            const auto close = matching_parenthesis(tokens, i + 1);
            if (close < tokens.size()) {
                const auto begin = tokens[i + 1].end;
                scan.generated_columns.push_back({current_column, std::string(util::trim(sql.substr(
                                                                      begin, tokens[close].begin - begin)))});
            }
        }
        // Of several COLLATE clauses on a column, SQLite takes the last.
        if (is_keyword(token, "collate") && !current_column.empty() && i + 1 < tokens.size()) {
            auto& collated = scan.collated_columns;
            if (collated.empty() || collated.back().column != current_column)
                collated.push_back({current_column, {}});
            collated.back().collation = util::to_upper(tokens[i + 1].text);
        }
        if (!is_keyword(token, "constraint") || i + 2 >= tokens.size()) continue;
        ScannedConstraint found;
        found.name = tokens[i + 1].text;
        auto next = i + 2;
        const auto& kind = tokens[next];
        if (is_keyword(kind, "primary") || is_keyword(kind, "unique") || is_keyword(kind, "foreign")) {
            found.kind = is_keyword(kind, "primary")  ? ScannedKind::PrimaryKey
                         : is_keyword(kind, "unique") ? ScannedKind::Unique
                                                      : ScannedKind::ForeignKey;
            ++next;
            if (next < tokens.size() && is_keyword(tokens[next], "key")) ++next;
            if (next < tokens.size() && is_symbol(tokens[next], '(')) {
                found.columns = column_list(tokens, next);
            } else if (!current_column.empty()) {
                found.columns = {current_column};
            }
        } else if (is_keyword(kind, "references")) {
            found.kind = ScannedKind::ForeignKey;
            found.columns = {current_column};
        } else if (is_keyword(kind, "check") && next + 1 < tokens.size() &&
                   is_symbol(tokens[next + 1], '(')) {
            found.kind = ScannedKind::Check;
            const auto close = matching_parenthesis(tokens, next + 1);
            if (close < tokens.size()) {
                const auto begin = tokens[next + 1].end;
                found.expression = std::string(util::trim(sql.substr(begin, tokens[close].begin - begin)));
            }
        } else {
            continue;  // a named NOT NULL, DEFAULT or COLLATE: nothing autogenerate tracks
        }
        scan.constraints.push_back(std::move(found));
    }
    std::erase_if(scan.collated_columns, [](const CollatedColumn& c) { return c.collation == "BINARY"; });
    return scan;
}

std::string scanned_name(const TableScan& scan, ScannedKind kind, const std::vector<std::string>& columns) {
    for (const auto& constraint : scan.constraints) {
        if (constraint.kind == kind && constraint.columns == columns) return constraint.name;
    }
    return {};
}

ColumnType sqlite_type(const std::string& declared) {
    ColumnType type;
    const auto spelling = parse_type_spelling(declared);
    if (!spelling || !spelling->suffix.empty()) {
        type.kind = TypeKind::Raw;
        type.raw = declared;
        return type;
    }
    const auto& base = spelling->base;
    const auto& arguments = spelling->arguments;
    static const std::map<std::string, TypeKind, std::less<>> plain = {
        {"INTEGER", TypeKind::Integer},   {"BIGINT", TypeKind::BigInt},
        {"SMALLINT", TypeKind::SmallInt}, {"BOOLEAN", TypeKind::Boolean},
        {"TEXT", TypeKind::Text},         {"REAL", TypeKind::Float},
        {"DATE", TypeKind::Date},         {"DOUBLE PRECISION", TypeKind::Double},
        {"TIME", TypeKind::Time},         {"DATETIME", TypeKind::DateTime},
        {"JSON", TypeKind::Json},         {"BLOB", TypeKind::Blob},
        {"VARCHAR", TypeKind::String},    {"NUMERIC", TypeKind::Numeric}};
    const auto found = plain.find(base);
    if (found != plain.end() && arguments.empty()) {
        type.kind = found->second;
    } else if (base == "VARCHAR" && arguments.size() == 1) {
        type.kind = TypeKind::String;
        type.length = arguments[0];
    } else if (base == "NUMERIC" && arguments.size() <= 2) {
        type.kind = TypeKind::Numeric;
        type.precision = arguments[0];
        if (arguments.size() == 2) type.scale = arguments[1];
    } else if (base == "CHAR" && arguments == std::vector<int>{36}) {
        type.kind = TypeKind::Uuid;
    } else {
        type.kind = TypeKind::Raw;
        type.raw = declared;
    }
    return type;
}

// "CREATE VIEW v (a, b) AS SELECT ...": SQLite keeps the text as written; the column list and the
// query after the first AS outside parentheses are the view.
View scan_create_view(const std::string& name, std::string_view sql) {
    const auto tokens = tokenize(sql);
    View view;
    view.name = name;
    int depth = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        if (is_symbol(tokens[i], '(')) {
            if (depth++ == 0) view.columns = column_list(tokens, i);
        } else if (is_symbol(tokens[i], ')')) {
            --depth;
        } else if (depth == 0 && is_keyword(tokens[i], "as")) {
            view.definition = view_query(sql.substr(tokens[i].end));
            return view;
        }
    }
    view.definition = view_query(sql);
    return view;
}

struct ColumnRow {
    Column column;
    int primary_key_position = 0;
};

}  // namespace

std::vector<CollatedColumn> sqlite_collated_columns(std::string_view create_table_sql) {
    return scan_create_table(create_table_sql).collated_columns;
}

std::vector<GeneratedColumn> sqlite_generated_columns(std::string_view create_table_sql) {
    return scan_create_table(create_table_sql).generated_columns;
}

std::vector<DeferredReference> sqlite_deferred_references(std::string_view create_table_sql) {
    return scan_create_table(create_table_sql).deferred_references;
}

Schema inspect_sqlite(db::Connection& connection, const dialect::Dialect& dialect,
                      std::string_view schema_name, const TableSelection& selection) {
    const std::string schema = schema_name.empty() ? std::string("main") : std::string(schema_name);
    const auto master = dialect.quote_identifier(schema) + ".sqlite_master";
    const std::string schema_parameter = "?";
    const auto over_tables = [&](std::string_view pragma_columns, std::string_view pragma_joins,
                                 std::string_view order) {
        return "SELECT m.name, " + std::string(pragma_columns) + " FROM " + master + " AS m " +
               std::string(pragma_joins) + " WHERE m.type = 'table' ORDER BY m.name, " + std::string(order);
    };

    Schema result;
    std::map<std::string, TableScan, std::less<>> scans;
    for (const auto& row :
         connection.query_rows("SELECT name, sql FROM " + master + " WHERE type = 'table'")) {
        const auto name = text(row, 0);
        if (name.rfind("sqlite_", 0) == 0 || !selection.wants(name)) continue;
        result.tables.emplace_back().name = name;
        scans.emplace(name, scan_create_table(text(row, 1)));
    }
    std::sort(result.tables.begin(), result.tables.end(),
              [](const Table& a, const Table& b) { return a.name < b.name; });
    // The table options after the closing parenthesis, in the order CREATE TABLE takes them.
    for (const auto& row : connection.query_rows(
             "SELECT name, wr, strict FROM pragma_table_list WHERE type = 'table' AND schema = " +
             dialect.quote_literal(schema))) {
        Table* table = find_sorted(result.tables, text(row, 0));
        if (table == nullptr) continue;
        std::vector<std::string> options;
        if (text(row, 1) == "1") options.emplace_back("WITHOUT ROWID");
        if (text(row, 2) == "1") options.emplace_back("STRICT");
        if (!options.empty()) table->options = util::join(options, ", ");
    }

    // Every table's primary key, kept also for tables not inspected: a foreign key may refer to one
    // implicitly.
    std::map<std::string, std::vector<std::pair<int, std::string>>, std::less<>> primary_keys;
    const auto columns = query_in_schema(
        connection,
        over_tables("p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden",
                    "JOIN pragma_table_xinfo(m.name, " + schema_parameter + ") AS p", "p.cid"),
        schema);
    for (const auto& row : columns) {
        const auto table_name = text(row, 0);
        const auto position = std::stoi(text(row, 6).empty() ? "0" : text(row, 6));
        if (position > 0) primary_keys[table_name].emplace_back(position, text(row, 2));
        Table* table = find_sorted(result.tables, table_name);
        if (table == nullptr) continue;
        Column column;
        column.name = text(row, 2);
        column.type = sqlite_type(text(row, 3));
        column.nullability = text(row, 4) == "1" ? Nullability::NotNull : Nullability::Nullable;
        if (const auto value = optional_text(row, 5)) {
            auto normalized = normalize_default(dialect::DialectKind::Sqlite, *value);
            if (normalized != "NULL") column.server_default = std::move(normalized);
        }
        // table_xinfo's hidden: 2 for a VIRTUAL generated column, 3 for a STORED one.
        const auto hidden = text(row, 7);
        if (hidden == "2" || hidden == "3") {
            column.generated =
                Generated{{}, hidden == "3" ? GeneratedStorage::Stored : GeneratedStorage::Virtual};
        }
        table->columns.push_back(std::move(column));
    }
    for (auto& [table_name, key] : primary_keys) std::sort(key.begin(), key.end());

    for (auto& table : result.tables) {
        const auto& scan = scans.find(table.name)->second;
        for (const auto& collated : scan.collated_columns) {
            for (auto& column : table.columns) {
                if (util::iequals(column.name, collated.column)) column.collation = collated.collation;
            }
        }
        for (const auto& generated : scan.generated_columns) {
            for (auto& column : table.columns) {
                if (column.generated && util::iequals(column.name, generated.column))
                    column.generated->expression = generated.expression;
            }
        }
        for (const auto& constraint : scan.constraints) {
            if (constraint.kind == ScannedKind::Check)
                table.checks.push_back({constraint.name, constraint.expression});
        }
        const auto key = primary_keys.find(table.name);
        if (key == primary_keys.end()) continue;
        PrimaryKey primary_key;
        for (const auto& [position, column_name] : key->second) primary_key.columns.push_back(column_name);
        primary_key.name = scanned_name(scan, ScannedKind::PrimaryKey, primary_key.columns);
        // AUTOINCREMENT is only valid on a lone INTEGER PRIMARY KEY column, so the keyword pins it down.
        if (scan.autoincrement && primary_key.columns.size() == 1) {
            for (auto& column : table.columns) {
                if (column.name == primary_key.columns[0]) {
                    column.autoincrement = AutoIncrement::Yes;
                }
            }
        }
        // A lone INTEGER PRIMARY KEY is the rowid alias, which can never be NULL, even without NOT NULL.
        if (primary_key.columns.size() == 1) {
            for (auto& column : table.columns) {
                if (column.name == primary_key.columns[0] && column.type.kind == TypeKind::Integer) {
                    column.nullability = Nullability::NotNull;
                }
            }
        }
        table.primary_key = std::move(primary_key);
    }

    std::map<std::string, std::string, std::less<>> index_sql;
    for (const auto& row : connection.query_rows("SELECT name, sql FROM " + master +
                                                 " WHERE type = 'index' AND sql IS NOT NULL")) {
        index_sql.emplace(text(row, 0), text(row, 1));
    }
    // Rows come one per key column; a column of an index on expressions is NULL.
    const auto index_rows = query_in_schema(
        connection,
        over_tables("il.name, il.\"unique\", il.origin, ii.seqno, ii.name, il.partial, ii.\"desc\"",
                    "JOIN pragma_index_list(m.name, " + schema_parameter +
                        ") AS il JOIN pragma_index_xinfo(il.name, " + schema_parameter +
                        ") AS ii ON ii.key = 1",
                    "il.name, ii.seqno"),
        schema);
    for (const auto rows : group_by_table_and_name(index_rows)) {
        const auto& first = rows.front();
        const auto table_name = text(first, 0);
        const auto origin = text(first, 3);
        auto index_columns = key_columns(rows, 5);
        Table* table = find_sorted(result.tables, table_name);
        if (table == nullptr || origin == "pk") continue;
        // A partial index, one on expressions or one with its own COLLATE is its CREATE INDEX text, as
        // written.
        const auto sql = index_sql.find(text(first, 1));
        const bool custom = index_columns.has_null || text(first, 6) == "1" ||
                            (sql != index_sql.end() && has_keyword(sql->second, "collate"));
        if (custom) {
            if (sql == index_sql.end()) continue;
            table->indexes.push_back({text(first, 1),
                                      std::move(index_columns.names),
                                      text(first, 2) == "1" ? IndexKind::Unique : IndexKind::Plain,
                                      {},
                                      view_query(sql->second)});
            continue;
        }
        if (origin == "u") {
            const auto& scan = scans.find(table_name)->second;
            auto name = scanned_name(scan, ScannedKind::Unique, index_columns.names);
            table->uniques.push_back({std::move(name), std::move(index_columns.names)});
        } else {
            Index index{text(first, 1),
                        std::move(index_columns.names),
                        text(first, 2) == "1" ? IndexKind::Unique : IndexKind::Plain,
                        {},
                        {}};
            const auto descending = [](const auto& row) { return text(row, 7) == "1"; };
            if (std::any_of(rows.begin(), rows.end(), descending)) {
                for (const auto& row : rows) {
                    index.sort_orders.push_back(descending(row) ? SortOrder::Descending
                                                                : SortOrder::Ascending);
                }
            }
            table->indexes.push_back(std::move(index));
        }
    }

    const auto foreign_key_rows = query_in_schema(
        connection,
        over_tables("fk.id, fk.seq, fk.\"table\", fk.\"from\", fk.\"to\", fk.on_update, fk.on_delete",
                    "JOIN pragma_foreign_key_list(m.name, " + schema_parameter + ") AS fk", "fk.id, fk.seq"),
        schema);
    for (const auto rows : group_by_table_and_name(foreign_key_rows)) {
        const auto& first = rows.front();
        const auto table_name = text(first, 0);
        Table* table = find_sorted(result.tables, table_name);
        if (table == nullptr) continue;
        ForeignKey key;
        key.referred_table = text(first, 3);
        key.on_update = referential_action(text(first, 6));
        key.on_delete = referential_action(text(first, 7));
        for (const auto& row : rows) key.columns.push_back(text(row, 4));
        // A NULL target column: the key refers to the other table's primary key implicitly.
        auto targets = key_columns(rows, 5);
        key.referred_columns = std::move(targets.names);
        if (targets.has_null) {
            key.referred_columns.clear();
            const auto referred = primary_keys.find(key.referred_table);
            if (referred != primary_keys.end()) {
                for (const auto& [position, column_name] : referred->second)
                    key.referred_columns.push_back(column_name);
            }
        }
        const auto& scan = scans.find(table_name)->second;
        key.name = scanned_name(scan, ScannedKind::ForeignKey, key.columns);
        // SQLite checks a key at commit only when it is INITIALLY DEFERRED; DEFERRABLE alone changes nothing.
        const auto deferred = std::find_if(
            scan.deferred_references.begin(), scan.deferred_references.end(),
            [&](const DeferredReference& reference) {
                return util::iequals(reference.referred_table, key.referred_table) &&
                       std::equal(reference.columns.begin(), reference.columns.end(), key.columns.begin(),
                                  key.columns.end(), [](const std::string& a, const std::string& b) {
                                      return util::iequals(a, b);
                                  });
            });
        if (deferred != scan.deferred_references.end()) key.deferral = Deferral::InitiallyDeferred;
        table->foreign_keys.push_back(std::move(key));
    }

    for (const auto& row :
         connection.query_rows("SELECT name, sql FROM " + master + " WHERE type = 'view' ORDER BY name")) {
        const auto name = text(row, 0);
        if (selection.wants(name)) result.views.push_back(scan_create_view(name, text(row, 1)));
    }
    // A trigger as written, on a table or view that is read.
    for (const auto& row : connection.query_rows("SELECT name, tbl_name, sql FROM " + master +
                                                 " WHERE type = 'trigger' ORDER BY name")) {
        auto name = text(row, 0);
        auto table = text(row, 1);
        if (!selection.wants(name) || !selection.wants(table)) continue;
        result.triggers.push_back(Trigger{std::move(name), std::move(table), view_query(text(row, 2))});
    }
    return result;
}

}  // namespace migrator::autogenerate::detail
