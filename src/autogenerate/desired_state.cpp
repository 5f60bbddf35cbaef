#include "autogenerate/desired_state.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <random>
#include <string>

#include "autogenerate/unsupported_objects.hpp"
#include "script/statement_splitter.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/scope_exit.hpp"
#include "util/strings.hpp"

namespace migrator::autogenerate {

using namespace schema;

namespace {

std::string scratch_name() {
    static constexpr char digits[] = "0123456789abcdef";
    std::random_device device;
    std::string name = "migrator_scratch_";
    for (int i = 0; i < 16; ++i) name += digits[device() % 16];
    return name;
}

// psql's own input: `COPY ... FROM stdin;` is followed by its rows up to a `\.` line, which are not SQL.
// The rows are blanked (line numbers kept) with a warning: a desired-state file describes the schema.
std::string without_copy_data(std::string_view sql_text, std::string_view source_name) {
    std::string result;
    result.reserve(sql_text.size());
    bool in_data = false;
    std::size_t line_number = 0;
    for (std::size_t start = 0; start < sql_text.size();) {
        const auto end = std::min(sql_text.find('\n', start), sql_text.size());
        const auto line = sql_text.substr(start, end - start);
        ++line_number;
        const auto trimmed = util::to_lower(line.substr(0, line.find_last_not_of(" \t\r") + 1));
        const auto first = trimmed.find_first_not_of(" \t");
        const bool copy_from_stdin = !in_data && first != std::string::npos &&
                                     trimmed.compare(first, 5, "copy ") == 0 &&
                                     trimmed.ends_with("from stdin;");
        if (in_data) {
            in_data = trimmed != "\\.";
        } else if (copy_from_stdin) {
            log::warn(
                "{}:{}: COPY ... FROM stdin skipped with its rows: a desired-state file describes the "
                "schema, not data",
                source_name, line_number);
            in_data = true;
        } else {
            result += line;
        }
        if (end < sql_text.size()) {
            result += '\n';
        }
        start = end + 1;
    }
    return result;
}

// The statement's first word, lower-cased, after blanks and comments (`#` ones too on MySQL).
std::string first_word(std::string_view sql, dialect::DialectKind kind) {
    for (;;) {
        sql.remove_prefix(std::min(sql.find_first_not_of(" \t\r\n\f\v"), sql.size()));
        if (sql.starts_with("--") || (kind == dialect::DialectKind::Mysql && sql.starts_with('#'))) {
            sql.remove_prefix(std::min(sql.find('\n'), sql.size()));
        } else if (sql.starts_with("/*")) {
            const auto close = sql.find("*/", 2);
            sql.remove_prefix(close == std::string_view::npos ? sql.size() : close + 2);
        } else {
            break;
        }
    }
    const auto word_end =
        std::find_if_not(sql.begin(), sql.end(), [](char c) { return util::is_alnum(c) || c == '_'; });
    return util::to_lower(sql.substr(0, static_cast<std::size_t>(word_end - sql.begin())));
}

// What a desired-state statement may not do on `kind`: leave the scratch schema's transaction
// (PostgreSQL) or the scratch database (MySQL, SQLite). Empty when it may run.
std::string forbidden(std::string_view sql, dialect::DialectKind kind) {
    const auto word = first_word(sql, kind);
    if (kind == dialect::DialectKind::Postgresql) {
        static constexpr std::string_view transaction_control[] = {"begin", "start",    "commit",
                                                                   "end",   "rollback", "abort"};
        for (const auto keyword : transaction_control) {
            if (word == keyword) {
                return fmt::format("{} would end the transaction that keeps the file off the live database",
                                   util::to_upper(word));
            }
        }
    }
    if (kind == dialect::DialectKind::Mysql && word == "use")
        return "USE would leave the scratch database for another one";
    if (kind == dialect::DialectKind::Sqlite && word == "attach")
        return "ATTACH would reach a database file outside the scratch database";
    return {};
}

// pg_dump writes a sequence's value as `SELECT pg_catalog.setval(...)`: data, like COPY's rows, and not
// undone by a rollback.
bool sets_a_sequence_value(std::string_view sql) {
    if (first_word(sql, dialect::DialectKind::Postgresql) != "select") return false;
    const auto text = util::to_lower(sql);
    return text.find("setval(") != std::string::npos;
}

void run_statements(db::Connection& connection, dialect::DialectKind kind, std::string_view sql_text,
                    std::string_view source_name,
                    const std::function<void(const script::Statement&)>& after = {}) {
    const std::string text = kind == dialect::DialectKind::Postgresql
                                 ? without_copy_data(sql_text, source_name)
                                 : std::string(sql_text);
    // Split before running anything: an unterminated construct must not leave half a schema.
    auto statements = script::split_statements(text, kind, script::SqlSource{source_name, 1});
    if (!statements) throw Error(statements.error().message);
    for (const auto& statement : *statements) {
        // A psql meta-command is the client's, not the server's: refused by name rather than half-run.
        if (kind == dialect::DialectKind::Postgresql && statement.sql.starts_with('\\')) {
            const auto name = statement.sql.substr(0, statement.sql.find_first_of(" \t\r\n;"));
            throw Error(
                fmt::format("{}:{}: psql meta-command {} is not SQL; remove it from the desired-state file",
                            source_name, statement.line, name));
        }
        if (const auto why = forbidden(statement.sql, kind); !why.empty()) {
            throw Error(fmt::format("{}:{}: {}; remove it from the desired-state file", source_name,
                                    statement.line, why));
        }
        if (kind == dialect::DialectKind::Postgresql && sets_a_sequence_value(statement.sql)) {
            log::warn("{}:{}: setval skipped: a desired-state file describes the schema, not data",
                      source_name, statement.line);
            continue;
        }
        try {
            connection.execute(statement.sql);
        } catch (const db::DatabaseError& error) {
            throw Error(fmt::format("{}:{}: {}", source_name, statement.line, error.what()));
        }
        if (after) after(statement);
    }
}

// The relations, types, functions and schemas outside `scratch` that the transaction `xid` created or
// changed: their catalog rows carry its id.
std::vector<std::string> changed_outside(db::Connection& connection, const dialect::Dialect& dialect,
                                         const std::string& scratch, const std::string& xid) {
    const auto mine = [&](std::string_view alias) {
        return fmt::format("{}.xmin = {}::xid", alias, dialect.quote_literal(xid));
    };
    const auto outside = fmt::format(
        "n.nspname <> {} AND n.nspname NOT LIKE 'pg\\_temp\\_%' AND n.nspname NOT LIKE 'pg\\_toast%'",
        dialect.quote_literal(scratch));
    const auto rows = connection.query_column(fmt::format(
        "SELECT DISTINCT name FROM ("
        "SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = "
        "c.relnamespace WHERE {} AND {} "
        "UNION ALL SELECT n.nspname || '.' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = "
        "t.typnamespace WHERE {} AND {} AND t.typrelid = 0 AND t.typelem = 0 "
        "UNION ALL SELECT n.nspname || '.' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = "
        "p.pronamespace WHERE {} AND {} "
        "UNION ALL SELECT n.nspname FROM pg_namespace n WHERE {} AND {}) AS changed ORDER BY name",
        mine("c"), outside, mine("t"), outside, mine("p"), outside, mine("n"), outside));
    std::vector<std::string> names;
    for (const auto& name : rows) {
        if (name) names.push_back(*name);
    }
    return names;
}

// The scratch schema or database is then left behind; its name says what it is.
void ignore_cleanup_failure(const std::exception& /*error*/) {}

DesiredState read_back(db::Connection& connection, const dialect::Dialect& dialect,
                       std::string_view schema_name, const TableFilter& filter) {
    return {inspect_schema(connection, dialect, schema_name, "", filter),
            uncompared_objects(connection, dialect, filter)};
}

// The file runs in one transaction that is rolled back, scratch schema and all: whatever it does elsewhere
// (pg_dump writes `public.t`) is undone, and is refused at the statement that did it, since the scratch
// schema would not show it.
DesiredState load_in_scratch_schema(std::string_view sql_text, std::string_view source_name,
                                    const dialect::Dialect& dialect, db::Connection& live,
                                    const TableFilter& filter) {
    live.execute("BEGIN");
    const util::ScopeExit roll_back([&] { live.execute("ROLLBACK"); }, ignore_cleanup_failure);
    const auto name = scratch_name();
    const auto quoted = dialect.quote_identifier(name);
    live.execute("CREATE SCHEMA " + quoted);
    live.execute("SET LOCAL search_path TO " + quoted);
    const auto xid = live.query_column("SELECT (txid_current() % 4294967296)::text");
    if (xid.size() != 1 || !xid[0]) throw Error("PostgreSQL returned no transaction id");
    run_statements(live, dialect.kind(), sql_text, source_name, [&](const script::Statement& statement) {
        const auto changed = changed_outside(live, dialect, name, *xid[0]);
        if (changed.empty()) return;
        throw Error(fmt::format(
            "{}:{}: the statement changed {} outside the scratch schema that a desired-state file runs in; "
            "write its names without a schema (nothing was changed: the file's transaction is rolled back)",
            source_name, statement.line, util::join(changed, ", ")));
    });
    return read_back(live, dialect, name, filter);
}

DesiredState load_in_scratch_database(std::string_view sql_text, std::string_view source_name,
                                      const dialect::Dialect& dialect, db::Connection& live,
                                      const TableFilter& filter) {
    const auto previous = live.query_rows("SELECT DATABASE()");
    const std::optional<std::string> database = previous.empty() ? std::nullopt : previous[0][0];
    const auto name = scratch_name();
    const auto quoted = dialect.quote_identifier(name);
    create_database_like(live, dialect, name);
    const util::ScopeExit restore(
        [&] {
            live.execute("DROP DATABASE " + quoted);
            if (database) live.execute("USE " + dialect.quote_identifier(*database));
        },
        ignore_cleanup_failure);
    live.execute("USE " + quoted);
    run_statements(live, dialect.kind(), sql_text, source_name);
    return read_back(live, dialect, name, filter);
}

}  // namespace

void create_database_like(db::Connection& live, const dialect::Dialect& dialect, const std::string& name) {
    std::string statement = "CREATE DATABASE " + dialect.quote_identifier(name);
    if (dialect.kind() == dialect::DialectKind::Mysql) {
        const auto collation = live.query_column("SELECT @@collation_database");
        const bool plain = !collation.empty() && collation[0] && !collation[0]->empty() &&
                           std::all_of(collation[0]->begin(), collation[0]->end(), [](char c) {
                               return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
                           });
        if (plain) statement += " DEFAULT COLLATE = " + *collation[0];
    }
    live.execute(statement);
}

DesiredState load_desired_state_and_uncompared(std::string_view sql_text, std::string_view source_name,
                                               const dialect::Dialect& dialect, db::Connection& live,
                                               const ScratchSqliteFactory& open_scratch_sqlite,
                                               const TableFilter& filter) {
    switch (dialect.kind()) {
        case dialect::DialectKind::Sqlite: {
            const auto scratch = open_scratch_sqlite();
            run_statements(*scratch, dialect.kind(), sql_text, source_name);
            return read_back(*scratch, dialect, "", filter);
        }
        case dialect::DialectKind::Postgresql:
            return load_in_scratch_schema(sql_text, source_name, dialect, live, filter);
        case dialect::DialectKind::Mysql:
            return load_in_scratch_database(sql_text, source_name, dialect, live, filter);
    }
    throw Error("unknown dialect for the desired-state file " + std::string(source_name));
}

Schema load_desired_state(std::string_view sql_text, std::string_view source_name,
                          const dialect::Dialect& dialect, db::Connection& live,
                          const ScratchSqliteFactory& open_scratch_sqlite, const TableFilter& filter) {
    return load_desired_state_and_uncompared(sql_text, source_name, dialect, live, open_scratch_sqlite,
                                             filter)
        .schema;
}

}  // namespace migrator::autogenerate
