#include "autogenerate/desired_state.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <random>
#include <string>

#include "autogenerate/unsupported_objects.hpp"
#include "script/statement_splitter.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/scope_exit.hpp"

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

std::string lower_ascii(std::string_view text) {
    std::string result(text);
    for (auto& c : result) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return result;
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
        const auto trimmed = lower_ascii(line.substr(0, line.find_last_not_of(" \t\r") + 1));
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

void run_statements(db::Connection& connection, dialect::DialectKind kind, std::string_view sql_text,
                    std::string_view source_name) {
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
        try {
            connection.execute(statement.sql);
        } catch (const db::DatabaseError& error) {
            throw Error(fmt::format("{}:{}: {}", source_name, statement.line, error.what()));
        }
    }
}

// The scratch schema or database is then left behind; its name says what it is.
void ignore_cleanup_failure(const std::exception& /*error*/) {}

DesiredState read_back(db::Connection& connection, const dialect::Dialect& dialect,
                       std::string_view schema_name, const TableFilter& filter) {
    return {inspect_schema(connection, dialect, schema_name, "", filter),
            uncompared_objects(connection, dialect, filter)};
}

DesiredState load_in_scratch_schema(std::string_view sql_text, std::string_view source_name,
                                    const dialect::Dialect& dialect, db::Connection& live,
                                    const TableFilter& filter) {
    const auto previous =
        live.query_rows("SELECT current_setting('search_path'), current_setting('client_min_messages')");
    const auto setting = [&](std::size_t column, const char* fallback) {
        return previous.empty() || !previous[0].at(column) ? std::string(fallback) : *previous[0].at(column);
    };
    const auto search_path = setting(0, "public");
    const auto messages = setting(1, "notice");
    const auto name = scratch_name();
    const auto quoted = dialect.quote_identifier(name);
    live.execute("CREATE SCHEMA " + quoted);
    const util::ScopeExit restore(
        [&] {
            live.execute("SET search_path TO " + search_path);
            // DROP ... CASCADE would print a NOTICE per scratch table on the terminal.
            live.execute("SET client_min_messages TO warning");
            live.execute("DROP SCHEMA " + quoted + " CASCADE");
            live.execute("SET client_min_messages TO " + dialect.quote_literal(messages));
        },
        ignore_cleanup_failure);
    live.execute("SET search_path TO " + quoted);
    run_statements(live, dialect.kind(), sql_text, source_name);
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
