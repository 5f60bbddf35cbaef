#include "autogenerate/unsupported_objects.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace migrator::autogenerate {

namespace {

// How a probe's rows name what it found: by the object's own name (a table, a type), or as "table.member" for
// a member of a table (a column, an index, a constraint, a policy).
enum class NamedBy { Itself, TableAndMember };

// What a probe looks at: one schema (current_schema() or DATABASE() in its query), or the whole database.
enum class ProbeScope { Schema, Database };

// One catalog query per kind of object or of attribute the schema model does not hold.
struct Probe {
    const char* kind;
    NamedBy named_by;
    const char* sql;
    ProbeScope scope = ProbeScope::Schema;
};

// An object a probe found, with the table whose filter decides whether it counts.
struct Found {
    schema::UncomparedObject object;
    std::string table;
};

constexpr Probe sqlite_probes[] = {
    {"virtual table", NamedBy::Itself,
     "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"},
    // A CREATE INDEX keeps its sort order (and its own COLLATE); a UNIQUE or PRIMARY KEY constraint does not.
    {"index sort order", NamedBy::TableAndMember,
     "SELECT m.name || '.' || i.name FROM sqlite_master m, pragma_index_list(m.name) i "
     "WHERE m.type = 'table' AND i.origin <> 'c' AND EXISTS "
     "(SELECT 1 FROM pragma_index_xinfo(i.name) x WHERE x.key = 1 AND x.\"desc\" = 1)"},
};

constexpr Probe postgresql_probes[] = {
    {"materialized view index", NamedBy::Itself,
     "SELECT ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
     "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
     "WHERE n.nspname = current_schema() AND c.relkind = 'm'"},
    {"aggregate", NamedBy::Itself,
     "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
     "WHERE n.nspname = current_schema() AND p.prokind IN ('a', 'w') AND NOT EXISTS "
     "(SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"},
    {"type", NamedBy::Itself,
     "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
     "WHERE n.nspname = current_schema() AND (t.typtype IN ('d', 'r', 'm') OR (t.typtype = 'c' AND "
     "EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))) AND NOT EXISTS "
     "(SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')"},
    {"schema", NamedBy::Itself,
     "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
     "AND nspname NOT IN ('information_schema', 'public') AND nspname <> current_schema()",
     ProbeScope::Database},
    {"extension", NamedBy::Itself, "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'",
     ProbeScope::Database},
    // The inspector reads a partitioned table's columns, keys and indexes, but neither its partition key nor
    // its partitions; an inheriting table's columns, but not what it inherits from.
    {"partitioned table", NamedBy::Itself,
     "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
     "WHERE n.nspname = current_schema() AND c.relkind = 'p'"},
    {"inheriting table", NamedBy::Itself,
     "SELECT DISTINCT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
     "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND NOT "
     "c.relispartition"},
    {"unlogged table", NamedBy::Itself,
     "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
     "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relpersistence = 'u'"},
    {"foreign table", NamedBy::Itself,
     "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
     "WHERE n.nspname = current_schema() AND c.relkind = 'f'"},
    {"storage parameter", NamedBy::TableAndMember,
     "SELECT c.relname || '.' || split_part(o.option, '=', 1) FROM pg_class c JOIN pg_namespace n ON n.oid = "
     "c.relnamespace CROSS JOIN unnest(c.reloptions) AS o(option) WHERE n.nspname = current_schema() AND "
     "c.relkind IN ('r', 'p', 'm')"},
    {"row-level security table", NamedBy::Itself,
     "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
     "WHERE n.nspname = current_schema() AND (c.relrowsecurity OR c.relforcerowsecurity)"},
    {"policy", NamedBy::TableAndMember,
     "SELECT c.relname || '.' || p.polname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid "
     "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema()"},
    // A view's own rule is its query.
    {"rule", NamedBy::TableAndMember,
     "SELECT c.relname || '.' || r.rulename FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class "
     "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND r.rulename <> "
     "'_RETURN'"},
    // Foreign keys and UNIQUE constraints keep theirs.
    {"deferrable constraint", NamedBy::TableAndMember,
     "SELECT c.relname || '.' || k.conname FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid "
     "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND k.condeferrable "
     "AND k.contype NOT IN ('f', 'u')"},
};

constexpr Probe mysql_probes[] = {
    {"event", NamedBy::Itself,
     "SELECT event_name FROM information_schema.events WHERE event_schema = DATABASE()"},
    // The inspector reads the other table options.
    {"partitioned table", NamedBy::Itself,
     "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
     "AND table_type = 'BASE TABLE' AND create_options LIKE '%partitioned%'"},
    // The inspector reads base tables only.
    {"system-versioned table", NamedBy::Itself,
     "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
     "AND table_type = 'SYSTEM VERSIONED'"},
    {"invisible column", NamedBy::TableAndMember,
     "SELECT CONCAT(table_name, '.', column_name) FROM information_schema.columns "
     "WHERE table_schema = DATABASE() AND extra LIKE '%INVISIBLE%'"},
    // An index keeps its sort order; the primary key does not.
    {"index sort order", NamedBy::TableAndMember,
     "SELECT DISTINCT CONCAT(table_name, '.', index_name) FROM information_schema.statistics "
     "WHERE table_schema = DATABASE() AND index_name = 'PRIMARY' AND collation = 'D'"},
};

// The function that names the connection's own schema in a probe's query.
const char* own_schema_function(const dialect::Dialect& dialect) {
    return dialect.kind() == dialect::DialectKind::Mysql ? "DATABASE()" : "current_schema()";
}

// `sql` with every call of `function` replaced by `literal`.
std::string with_schema(std::string sql, std::string_view function, const std::string& literal) {
    for (auto at = sql.find(function); at != std::string::npos;
         at = sql.find(function, at + literal.size())) {
        sql.replace(at, function.size(), literal);
    }
    return sql;
}

// `schema_name` empty: the connection's own schema, and the database-wide probes; else that schema's
// probes only, with its objects named "schema.name".
template <std::size_t N>
void run_probes(db::Connection& connection, const dialect::Dialect& dialect, const Probe (&probes)[N],
                const std::string& schema_name, std::vector<Found>& found) {
    for (const auto& probe : probes) {
        std::string sql = probe.sql;
        std::string prefix;
        if (!schema_name.empty()) {
            if (probe.scope == ProbeScope::Database) continue;
            sql = with_schema(sql, own_schema_function(dialect), dialect.quote_literal(schema_name));
            prefix = schema_name + ".";
        }
        for (const auto& name : connection.query_column(sql)) {
            if (!name) continue;
            auto table = probe.named_by == NamedBy::TableAndMember ? name->substr(0, name->find('.')) : *name;
            found.push_back({{probe.kind, prefix + *name}, std::move(table)});
        }
    }
}

std::vector<Found> probe(db::Connection& connection, const dialect::Dialect& dialect,
                         const std::vector<std::string>& other_schemas = {}) {
    std::vector<Found> found;
    const auto run = [&](const std::string& schema_name) {
        switch (dialect.kind()) {
            case dialect::DialectKind::Sqlite:
                run_probes(connection, dialect, sqlite_probes, schema_name, found);
                break;
            case dialect::DialectKind::Postgresql:
                run_probes(connection, dialect, postgresql_probes, schema_name, found);
                break;
            case dialect::DialectKind::Mysql:
                run_probes(connection, dialect, mysql_probes, schema_name, found);
                break;
        }
    };
    run({});
    for (const auto& schema_name : other_schemas) run(schema_name);
    // An included schema is compared, so it is not named as a schema left out.
    std::erase_if(found, [&](const Found& item) {
        return item.object.kind == "schema" &&
               std::find(other_schemas.begin(), other_schemas.end(), item.object.name) != other_schemas.end();
    });
    std::sort(found.begin(), found.end(),
              [](const Found& left, const Found& right) { return left.object < right.object; });
    return found;
}

}  // namespace

std::vector<std::string> unsupported_objects(db::Connection& connection, const dialect::Dialect& dialect) {
    const auto found = probe(connection, dialect);
    std::vector<std::string> named;
    named.reserve(found.size());
    for (const auto& [object, table] : found) {
        named.push_back(object.kind + " " + object.name);
    }
    return named;
}

std::vector<schema::UncomparedObject> uncompared_objects(db::Connection& connection,
                                                         const dialect::Dialect& dialect,
                                                         const TableFilter& filter,
                                                         const std::vector<std::string>& other_schemas) {
    std::vector<schema::UncomparedObject> objects;
    for (auto& [object, table] : probe(connection, dialect, other_schemas)) {
        if (filter.accepts(table)) objects.push_back(std::move(object));
    }
    return objects;
}

}  // namespace migrator::autogenerate
