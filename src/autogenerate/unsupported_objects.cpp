#include "autogenerate/unsupported_objects.hpp"

#include <algorithm>
#include <utility>

namespace migrator::autogenerate {

namespace {

// One catalog query per kind of object; each returns the objects' names.
using Probe = std::pair<const char*, const char*>;

constexpr Probe sqlite_probes[] = {
    {"generated column",
     "SELECT m.name || '.' || c.name FROM sqlite_master m, pragma_table_xinfo(m.name) c "
     "WHERE m.type = 'table' AND c.hidden IN (2, 3)"},
    {"virtual table", "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'"},
};

constexpr Probe postgresql_probes[] = {
    {"materialized view index",
     "SELECT ic.relname FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid "
     "JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
     "WHERE n.nspname = current_schema() AND c.relkind = 'm'"},
    {"sequence",
     "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
     "WHERE n.nspname = current_schema() AND c.relkind = 'S' AND NOT EXISTS "
     "(SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid "
     "AND d.deptype IN ('a', 'i'))"},
    {"aggregate",
     "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
     "WHERE n.nspname = current_schema() AND p.prokind IN ('a', 'w') AND NOT EXISTS "
     "(SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')"},
    {"type",
     "SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
     "WHERE n.nspname = current_schema() AND (t.typtype IN ('e', 'd', 'r', 'm') OR (t.typtype = 'c' AND "
     "EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid AND c.relkind = 'c'))) AND NOT EXISTS "
     "(SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e')"},
    {"generated column",
     "SELECT c.relname || '.' || a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
     "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r' "
     "AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated <> ''"},
    {"schema",
     "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
     "AND nspname NOT IN ('information_schema', 'public') AND nspname <> current_schema()"},
    {"extension", "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'"},
};

constexpr Probe mysql_probes[] = {
    {"event", "SELECT event_name FROM information_schema.events WHERE event_schema = DATABASE()"},
    {"sequence",
     "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
     "AND table_type = 'SEQUENCE'"},
    {"generated column",
     "SELECT CONCAT(table_name, '.', column_name) FROM information_schema.columns "
     "WHERE table_schema = DATABASE() AND extra LIKE '%GENERATED%'"},
};

template <std::size_t N>
std::vector<schema::UncomparedObject> run_probes(db::Connection& connection, const Probe (&probes)[N]) {
    std::vector<schema::UncomparedObject> found;
    for (const auto& [kind, sql] : probes) {
        for (const auto& name : connection.query_column(sql)) {
            if (name) {
                found.push_back({kind, *name});
            }
        }
    }
    std::sort(found.begin(), found.end());
    return found;
}

std::vector<schema::UncomparedObject> probe(db::Connection& connection, const dialect::Dialect& dialect) {
    switch (dialect.kind()) {
        case dialect::DialectKind::Sqlite:
            return run_probes(connection, sqlite_probes);
        case dialect::DialectKind::Postgresql:
            return run_probes(connection, postgresql_probes);
        case dialect::DialectKind::Mysql:
            return run_probes(connection, mysql_probes);
    }
    return {};
}

}  // namespace

std::vector<std::string> unsupported_objects(db::Connection& connection, const dialect::Dialect& dialect) {
    const auto objects = probe(connection, dialect);
    std::vector<std::string> found;
    found.reserve(objects.size());
    for (const auto& object : objects) {
        found.push_back(object.kind + " " + object.name);
    }
    return found;
}

std::vector<schema::UncomparedObject> uncompared_objects(db::Connection& connection,
                                                         const dialect::Dialect& dialect,
                                                         const TableFilter& filter) {
    auto objects = probe(connection, dialect);
    std::erase_if(objects, [&](const schema::UncomparedObject& object) {
        const auto table =
            object.kind == "generated column" ? object.name.substr(0, object.name.find('.')) : object.name;
        return !filter.accepts(table);
    });
    return objects;
}

}  // namespace migrator::autogenerate
