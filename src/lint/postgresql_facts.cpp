// The lint module's only translation unit that includes pg_query.h: PostgreSQL's own parser reads each
// statement, and the facts come from its JSON parse tree.
#include <pg_query.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <string>

#include "statement_facts.hpp"

namespace migrator::lint {

namespace {

using Json = nlohmann::json;

std::string text_of(const Json& node, const char* key) {
    const auto found = node.find(key);
    return found != node.end() && found->is_string() ? found->get<std::string>() : std::string();
}

bool has(const Json& node, const char* key) {
    return node.contains(key);
}

// A RangeVar as "schema.table" or "table".
std::string relation_name(const Json& range) {
    const auto schema = text_of(range, "schemaname");
    const auto table = text_of(range, "relname");
    return schema.empty() ? table : schema + "." + table;
}

// A DropStmt object: a List of String parts, or a single String.
std::string object_name(const Json& object) {
    if (object.contains("String")) return text_of(object["String"], "sval");
    std::string name;
    if (object.contains("List")) {
        for (const auto& part : object["List"].value("items", Json::array())) {
            if (!name.empty()) name += ".";
            if (part.contains("String")) name += text_of(part["String"], "sval");
        }
    }
    return name;
}

// Functions whose value differs per row: a default calling one rewrites the whole table.
bool is_volatile_function(const std::string& name) {
    static constexpr std::array<std::string_view, 10> names{
        "random",          "gen_random_uuid", "uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4",
        "clock_timestamp", "timeofday",       "nextval",          "txid_current",       "random_normal"};
    return std::find(names.begin(), names.end(), name) != names.end();
}

bool calls_volatile_function(const Json& node) {
    if (node.is_object()) {
        if (const auto call = node.find("FuncCall"); call != node.end()) {
            const auto& parts = call->value("funcname", Json::array());
            if (!parts.empty() && parts.back().contains("String") &&
                is_volatile_function(text_of(parts.back()["String"], "sval"))) {
                return true;
            }
        }
        return std::any_of(node.begin(), node.end(),
                           [](const Json& child) { return calls_volatile_function(child); });
    }
    if (node.is_array()) {
        return std::any_of(node.begin(), node.end(),
                           [](const Json& child) { return calls_volatile_function(child); });
    }
    return false;
}

bool is_serial_type(const Json& type_name) {
    const auto& parts = type_name.value("names", Json::array());
    if (parts.empty() || !parts.back().contains("String")) return false;
    const auto name = text_of(parts.back()["String"], "sval");
    return name == "serial" || name == "bigserial" || name == "smallserial" || name == "serial2" ||
           name == "serial4" || name == "serial8";
}

void add_column(StatementFacts& facts, const std::string& table, const Json& column) {
    const ColumnRef ref{table, text_of(column, "colname")};
    facts.added_columns.push_back(ref);
    bool not_null = false;
    bool has_default = false;
    bool volatile_default = is_serial_type(column.value("typeName", Json::object()));
    for (const auto& item : column.value("constraints", Json::array())) {
        if (!item.contains("Constraint")) continue;
        const auto& constraint = item["Constraint"];
        const auto type = text_of(constraint, "contype");
        if (type == "CONSTR_NOTNULL" || type == "CONSTR_PRIMARY") not_null = true;
        if (type == "CONSTR_DEFAULT" || type == "CONSTR_IDENTITY" || type == "CONSTR_GENERATED")
            has_default = true;
        if (type == "CONSTR_DEFAULT" && calls_volatile_function(constraint.value("raw_expr", Json::object())))
            volatile_default = true;
        if (type == "CONSTR_IDENTITY") volatile_default = true;
    }
    if (volatile_default) has_default = true;
    if (not_null && !has_default) facts.not_null_without_default.push_back(ref);
    if (volatile_default) facts.volatile_defaults.push_back(ref);
}

void alter_table(StatementFacts& facts, const Json& alter) {
    const auto table = relation_name(alter.value("relation", Json::object()));
    for (const auto& item : alter.value("cmds", Json::array())) {
        if (!item.contains("AlterTableCmd")) continue;
        const auto& command = item["AlterTableCmd"];
        const auto subtype = text_of(command, "subtype");
        const auto column = text_of(command, "name");
        const auto& def = command.value("def", Json::object());
        if (subtype == "AT_AddColumn" && def.contains("ColumnDef")) {
            add_column(facts, table, def["ColumnDef"]);
        } else if (subtype == "AT_DropColumn") {
            facts.dropped_columns.push_back({table, column});
        } else if (subtype == "AT_AlterColumnType") {
            facts.type_changes.push_back({table, column});
        } else if (subtype == "AT_SetNotNull") {
            facts.set_not_null.push_back({table, column});
        } else if (subtype == "AT_AddConstraint" && def.contains("Constraint")) {
            const auto& constraint = def["Constraint"];
            const auto type = text_of(constraint, "contype");
            if ((type == "CONSTR_FOREIGN" || type == "CONSTR_CHECK") &&
                !constraint.value("skip_validation", false)) {
                const auto name = text_of(constraint, "conname");
                std::string what = type == "CONSTR_FOREIGN" ? "foreign key " : "check constraint ";
                if (!name.empty()) what.append(name).append(" ");
                what.append("on ").append(table);
                facts.validated_constraints.push_back(std::move(what));
            }
        }
    }
}

void read_statement(StatementFacts& facts, const Json& statement) {
    if (!statement.is_object() || statement.empty()) return;
    const auto first = statement.begin();
    const std::string& type = first.key();
    const Json& node = first.value();
    if (type == "InsertStmt" || type == "UpdateStmt" || type == "DeleteStmt" || type == "MergeStmt" ||
        type == "CopyStmt") {
        facts.kind = StatementClass::Dml;
    } else if (type != "SelectStmt" && type != "TransactionStmt" && type != "VariableSetStmt" &&
               type != "ExplainStmt" && type != "DoStmt" && type != "CallStmt" && type != "LockStmt") {
        facts.kind = StatementClass::Ddl;
    }
    const auto relation = relation_name(node.value("relation", Json::object()));
    if (type == "CreateStmt") {
        facts.created_tables.push_back(relation);
        for (const auto& element : node.value("tableElts", Json::array())) {
            if (element.contains("ColumnDef"))
                facts.created_columns.push_back(text_of(element["ColumnDef"], "colname"));
        }
    } else if (type == "CreateTableAsStmt") {
        facts.created_tables.push_back(
            relation_name(node.value("into", Json::object()).value("rel", Json::object())));
    } else if (type == "DropStmt") {
        const auto remove = text_of(node, "removeType");
        for (const auto& object : node.value("objects", Json::array())) {
            if (remove == "OBJECT_TABLE") facts.dropped_tables.push_back(object_name(object));
            if (remove == "OBJECT_SCHEMA" && facts.dropped_schema.empty())
                facts.dropped_schema = object_name(object);
        }
    } else if (type == "DropdbStmt") {
        facts.dropped_database = text_of(node, "dbname");
    } else if (type == "TruncateStmt") {
        for (const auto& item : node.value("relations", Json::array())) {
            if (item.contains("RangeVar")) facts.truncated_tables.push_back(relation_name(item["RangeVar"]));
        }
    } else if (type == "DeleteStmt" && !has(node, "whereClause")) {
        facts.delete_without_where = relation;
    } else if (type == "UpdateStmt" && !has(node, "whereClause")) {
        facts.update_without_where = relation;
    } else if (type == "IndexStmt") {
        facts.indexed_table = relation;
        facts.index_concurrently = node.value("concurrent", false);
    } else if (type == "RenameStmt") {
        const auto rename = text_of(node, "renameType");
        if (rename == "OBJECT_TABLE") facts.renames.push_back({relation, "", text_of(node, "newname")});
        if (rename == "OBJECT_COLUMN")
            facts.renames.push_back({relation, text_of(node, "subname"), text_of(node, "newname")});
    } else if (type == "AlterTableStmt") {
        alter_table(facts, node);
    }
}

}  // namespace

StatementFacts postgresql_facts(std::string_view sql) {
    StatementFacts facts;
    const std::string text(sql);
    auto result = pg_query_parse(text.c_str());
    if (result.error == nullptr && result.parse_tree != nullptr) {
        const auto tree = Json::parse(result.parse_tree, nullptr, false);
        if (!tree.is_discarded()) {
            for (const auto& item : tree.value("stmts", Json::array()))
                read_statement(facts, item.value("stmt", Json::object()));
        }
    }
    pg_query_free_parse_result(result);
    return facts;
}

}  // namespace migrator::lint
