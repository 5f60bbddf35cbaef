// Four catalog queries per schema: tables, columns, constraints (one row per key column), indexes.
#include <map>

#include "inspectors.hpp"

namespace migrator::autogenerate::detail {

using namespace schema;

namespace {

ColumnType postgresql_type(const std::string& formatted) {
    ColumnType type;
    const auto spelling = parse_type_spelling(formatted);
    if (!spelling) {
        type.kind = TypeKind::Raw;
        type.raw = formatted;
        return type;
    }
    const auto& base = spelling->base;
    const auto& arguments = spelling->arguments;
    const auto& suffix = spelling->suffix;
    static const std::map<std::string, TypeKind, std::less<>> plain = {
        {"INTEGER", TypeKind::Integer},
        {"BIGINT", TypeKind::BigInt},
        {"SMALLINT", TypeKind::SmallInt},
        {"BOOLEAN", TypeKind::Boolean},
        {"TEXT", TypeKind::Text},
        {"REAL", TypeKind::Float},
        {"DOUBLE PRECISION", TypeKind::Double},
        {"DATE", TypeKind::Date},
        {"JSONB", TypeKind::Json},
        {"BYTEA", TypeKind::Blob},
        {"UUID", TypeKind::Uuid},
        {"CHARACTER VARYING", TypeKind::String},
        {"NUMERIC", TypeKind::Numeric}};
    const auto found = plain.find(base);
    if (found != plain.end() && arguments.empty() && suffix.empty()) {
        type.kind = found->second;
    } else if (base == "TIME WITHOUT TIME ZONE" || base == "TIME WITH TIME ZONE") {
        type.kind = TypeKind::Time;
        type.time_zone = base == "TIME WITH TIME ZONE" ? TimeZone::With : TimeZone::Without;
    } else if (base == "TIMESTAMP WITHOUT TIME ZONE" || base == "TIMESTAMP WITH TIME ZONE") {
        type.kind = TypeKind::DateTime;
        type.time_zone = base == "TIMESTAMP WITH TIME ZONE" ? TimeZone::With : TimeZone::Without;
    } else if (base == "CHARACTER VARYING" && arguments.size() == 1 && suffix.empty()) {
        type.kind = TypeKind::String;
        type.length = arguments[0];
    } else if (base == "NUMERIC" && arguments.size() == 2 && suffix.empty()) {
        type.kind = TypeKind::Numeric;
        type.precision = arguments[0];
        type.scale = arguments[1];
    } else {
        type.kind = TypeKind::Raw;
        type.raw = formatted;
    }
    return type;
}

}  // namespace

Schema inspect_postgresql(db::Connection& connection, const dialect::Dialect& /*dialect*/,
                          std::string_view schema_name, const TableSelection& selection) {
    const auto schema = schema_or_current(connection, schema_name, "SELECT current_schema()");
    const std::string in_schema =
        " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?"
        " AND c.relkind IN ('r', 'p') AND NOT c.relispartition";

    // PostgreSQL stores no empty comment (COMMENT IS '' removes it), so "" never hides a real one.
    Schema result;
    result.tables = selected_tables(
        query_in_schema(connection,
                        "SELECT c.relname, obj_description(c.oid, 'pg_class') FROM pg_class c" + in_schema,
                        schema),
        selection);

    const auto columns = query_in_schema(
        connection,
        "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
        "pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, col_description(c.oid, a.attnum), "
        "EXISTS (SELECT 1 FROM pg_depend dep JOIN pg_class s ON s.oid = dep.objid AND s.relkind = 'S' "
        "WHERE dep.classid = 'pg_class'::regclass AND dep.refobjid = c.oid AND dep.refobjsubid = a.attnum "
        "AND dep.deptype = 'a'), "
        "CASE WHEN a.attcollation <> t.typcollation THEN "
        "(SELECT co.collname FROM pg_collation co WHERE co.oid = a.attcollation) END, "
        "NULLIF(a.attstattarget, -1) "  // -1 is the default (PostgreSQL 17 makes it NULL)
        "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid "
        "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum" +
            in_schema + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY c.relname, a.attnum",
        schema);
    for (const auto& row : columns) {
        Table* table = find_sorted(result.tables, text(row, 0));
        if (table == nullptr) continue;
        Column column;
        column.name = text(row, 1);
        column.type = postgresql_type(text(row, 2));
        column.nullability = text(row, 3) == "t" ? Nullability::NotNull : Nullability::Nullable;
        const auto identity = text(row, 5);
        const auto generated = text(row, 6);
        const auto expression = optional_text(row, 4);
        if (!identity.empty()) column.autoincrement = AutoIncrement::Yes;
        // attgenerated 's': STORED, the only kind PostgreSQL 15 has.
        if (expression && !generated.empty())
            column.generated = Generated{*expression, GeneratedStorage::Stored};
        if (expression && generated.empty()) {
            // serial when the sequence belongs to the column; another sequence is compared on its own, and
            // the default that uses it as a default, kept as the server prints it so that the same casts
            // reach the database ("nextval(('s'::text)::regclass)"); the comparison normalises it.
            const bool uses_sequence = expression->rfind("nextval(", 0) == 0;
            if (uses_sequence && text(row, 8) == "t") {
                column.autoincrement = AutoIncrement::Serial;
            } else if (uses_sequence) {
                column.server_default = *expression;
            } else {
                auto normalized = normalize_default(dialect::DialectKind::Postgresql, *expression);
                if (normalized != "NULL") column.server_default = std::move(normalized);
            }
        }
        column.comment = optional_text(row, 7);
        column.collation = optional_text(row, 9);
        if (const auto target = optional_text(row, 10)) column.statistics_target = std::stoi(*target);
        table->columns.push_back(std::move(column));
    }

    // One row per (constraint, key column); a CHECK has its expression and no need of columns.
    const auto constraints = query_in_schema(
        connection,
        "SELECT c.relname, con.conname, con.contype, a.attname, "
        "rc.relname, ra.attname, con.confdeltype, con.confupdtype, "
        "CASE WHEN con.contype = 'c' THEN pg_get_expr(con.conbin, con.conrelid) END, "
        "con.condeferrable, con.condeferred, CASE WHEN rn.nspname <> n.nspname THEN rn.nspname END "
        "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid "
        "LEFT JOIN pg_class rc ON rc.oid = con.confrelid LEFT JOIN pg_namespace rn ON rn.oid = "
        "rc.relnamespace "
        "LEFT JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, refnum, ord) "
        "ON con.contype <> 'c' "
        "LEFT JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum "
        "LEFT JOIN pg_attribute ra ON ra.attrelid = con.confrelid AND ra.attnum = k.refnum" +
            in_schema + " AND con.contype IN ('p', 'u', 'f', 'c') ORDER BY c.relname, con.conname, k.ord",
        schema);
    const auto action = [](const std::string& code) {
        if (code == "c") return ReferentialAction::Cascade;
        if (code == "n") return ReferentialAction::SetNull;
        if (code == "d") return ReferentialAction::SetDefault;
        if (code == "r") return ReferentialAction::Restrict;
        return ReferentialAction::NoAction;
    };
    const auto deferral = [](const auto& row) {
        if (text(row, 9) != "t") return Deferral::NotDeferrable;
        return text(row, 10) == "t" ? Deferral::InitiallyDeferred : Deferral::InitiallyImmediate;
    };
    for (const auto constraint_rows : group_by_table_and_name(constraints)) {
        const auto& first = constraint_rows.front();
        Table* table = find_sorted(result.tables, text(first, 0));
        if (table == nullptr) continue;
        const auto name = text(first, 1);
        const auto kind = text(first, 2);
        auto key_names = key_columns(constraint_rows, 3).names;
        if (kind == "p") {
            table->primary_key = PrimaryKey{name, std::move(key_names)};
        } else if (kind == "u") {
            table->uniques.push_back({name, std::move(key_names), deferral(first)});
        } else if (kind == "f") {
            table->foreign_keys.push_back({name, std::move(key_names), text(first, 4),
                                           key_columns(constraint_rows, 5).names, action(text(first, 6)),
                                           action(text(first, 7)), deferral(first), text(first, 11)});
        } else {
            table->checks.push_back({name, text(first, 8)});
        }
    }

    // Indexes that back a PRIMARY KEY, UNIQUE or EXCLUDE constraint surface as those constraints.
    const auto indexes = query_in_schema(
        connection,
        "SELECT c.relname, i.relname, ix.indisunique, a.attname, "
        "ix.indexprs IS NOT NULL OR ix.indpred IS NOT NULL OR am.amname <> 'btree' OR ix.indnatts > "
        "ix.indnkeyatts OR 0 <> ANY (ix.indoption::int2[]) OR EXISTS (SELECT 1 FROM "
        "unnest(ix.indclass::oid[]) AS oc(opclass) JOIN pg_opclass o ON o.oid = oc.opclass WHERE NOT "
        "o.opcdefault) "
        "OR EXISTS (SELECT 1 FROM unnest(ix.indcollation::oid[]) WITH ORDINALITY AS ic(coll, ord) "
        "JOIN pg_attribute ca ON ca.attrelid = ix.indrelid AND ca.attnum = ix.indkey[ic.ord - 1] "
        "WHERE ic.coll <> 0 AND ic.coll <> ca.attcollation), "
        "pg_get_indexdef(ix.indexrelid), quote_ident(n.nspname) "
        "FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class c ON c.oid = ix.indrelid "
        "JOIN pg_am am ON am.oid = i.relam "
        "JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord) ON k.ord <= ix.indnkeyatts "
        "LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum AND k.attnum > 0" +
            in_schema +
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = ix.indexrelid "
            "AND con.conrelid = ix.indrelid AND con.contype IN ('p', 'u', 'x')) "
            "ORDER BY c.relname, i.relname, k.ord",
        schema);
    for (const auto index_rows : group_by_table_and_name(indexes)) {
        const auto& first = index_rows.front();
        auto index_columns = key_columns(index_rows, 3);
        Table* table = find_sorted(result.tables, text(first, 0));
        if (table == nullptr) continue;
        // pg_get_indexdef names the table with its schema, the scratch schema for a desired-state file; a
        // table of another schema keeps it, so that the index is made there.
        std::string definition;
        if (text(first, 4) == "t") {
            definition = text(first, 5);
        }
        if (!definition.empty() && selection.qualifier == SchemaQualifier::Dropped) {
            const auto qualifier = " ON " + text(first, 6) + ".";
            if (const auto at = definition.find(qualifier); at != std::string::npos) {
                definition.erase(at + 4, qualifier.size() - 4);
            }
        }
        table->indexes.push_back({text(first, 1),
                                  std::move(index_columns.names),
                                  text(first, 2) == "t" ? IndexKind::Unique : IndexKind::Plain,
                                  {},
                                  std::move(definition)});
    }

    // The sequences no column owns (serial, identity) and no extension brought.
    for (const auto& row : query_in_schema(
             connection,
             "SELECT s.sequencename, s.data_type::text, s.start_value, s.increment_by, s.min_value, "
             "s.max_value, s.cache_size, s.cycle FROM pg_sequences s JOIN pg_namespace n ON n.nspname = "
             "s.schemaname JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.sequencename "
             "WHERE s.schemaname = ? AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = "
             "'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e')) ORDER BY 1",
             schema)) {
        auto name = text(row, 0);
        if (!selection.wants(name)) continue;
        result.sequences.push_back(
            Sequence{std::move(name), text(row, 1), text(row, 2), text(row, 3), text(row, 4), text(row, 5),
                     text(row, 6), text(row, 7) == "t" ? SequenceCycle::Cycle : SequenceCycle::NoCycle});
    }

    // The enum types no extension brought, one row per label in sort order (none for a type without any).
    for (const auto& row : query_in_schema(
             connection,
             "SELECT t.typname, e.enumlabel FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace "
             "LEFT JOIN pg_enum e ON e.enumtypid = t.oid WHERE n.nspname = ? AND t.typtype = 'e' AND NOT "
             "EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = t.oid AND d.deptype = 'e') "
             "ORDER BY t.typname, e.enumsortorder",
             schema)) {
        auto name = text(row, 0);
        if (!selection.wants(name)) continue;
        if (result.enum_types.empty() || result.enum_types.back().name != name)
            result.enum_types.push_back(EnumType{std::move(name), {}});
        if (const auto label = optional_text(row, 1)) result.enum_types.back().labels.push_back(*label);
    }

    // pg_get_viewdef names the tables of the search path unqualified, as in the file they came from.
    for (const auto& row : query_in_schema(
             connection,
             "SELECT c.relname, c.relkind, pg_get_viewdef(c.oid, true) FROM pg_class c JOIN pg_namespace n "
             "ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('v', 'm') ORDER BY c.relname",
             schema)) {
        const auto name = text(row, 0);
        if (!selection.wants(name)) continue;
        result.views.push_back(View{name,
                                    view_query(text(row, 2)),
                                    text(row, 1) == "m" ? ViewKind::Materialized : ViewKind::Plain,
                                    {}});
    }

    // pg_get_functiondef always qualifies the name with the schema, which is the scratch schema for a
    // desired-state file: the qualifier is dropped, so that the routine is created in the current schema.
    // Aggregates and window functions have no such definition and stay named as not compared.
    for (const auto& row : query_in_schema(
             connection,
             "SELECT p.proname, p.prokind, pg_get_function_identity_arguments(p.oid), "
             "pg_get_functiondef(p.oid), "
             "quote_ident(n.nspname) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
             "WHERE n.nspname = ? AND p.prokind IN ('f', 'p') AND NOT EXISTS (SELECT 1 FROM pg_depend d "
             "WHERE d.objid = p.oid AND d.deptype = 'e') ORDER BY 1, 3",
             schema)) {
        auto name = text(row, 0);
        if (!selection.wants(name)) continue;
        auto definition = text(row, 3);
        const auto qualifier = text(row, 4) + ".";
        if (const auto at = definition.find(qualifier);
            at != std::string::npos && at < definition.find('(')) {
            definition.erase(at, qualifier.size());
        }
        result.routines.push_back(
            Routine{std::move(name), text(row, 1) == "p" ? RoutineKind::Procedure : RoutineKind::Function,
                    text(row, 2), view_query(definition)});
    }

    for (const auto& row :
         query_in_schema(connection,
                         "SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid, true) FROM pg_trigger t "
                         "JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
                         "WHERE n.nspname = ? AND NOT t.tgisinternal ORDER BY 1, 2",
                         schema)) {
        auto name = text(row, 0);
        auto table = text(row, 1);
        if (!selection.wants(name) || !selection.wants(table)) continue;
        result.triggers.push_back(Trigger{std::move(name), std::move(table), view_query(text(row, 2))});
    }
    return result;
}

}  // namespace migrator::autogenerate::detail
