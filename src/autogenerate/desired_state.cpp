#include "migrator/autogenerate/desired_state.hpp"

#include <fmt/format.h>

#include <random>

#include "migrator/script/statement_splitter.hpp"
#include "migrator/util/error.hpp"

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

void run_statements(db::Connection& connection, dialect::DialectKind kind, std::string_view sql_text,
                    std::string_view source_name) {
    // Split before running anything: an unterminated construct must not leave half a schema.
    auto statements = script::split_statements(sql_text, kind, script::SqlSource{source_name, 1});
    if (!statements) throw Error(statements.error().message);
    for (const auto& statement : *statements) {
        try {
            connection.execute(statement.sql);
        } catch (const db::DatabaseError& error) {
            throw Error(fmt::format("{}:{}: {}", source_name, statement.line, error.what()));
        }
    }
}

// Runs `undo` when the scope ends, also on an exception; a failing undo must not hide the first error.
template <class Undo>
class ScopeExit {
public:
    explicit ScopeExit(Undo undo) : undo_(std::move(undo)) {}
    ~ScopeExit() {
        try {
            undo_();
        } catch (const std::exception&) {
            // The scratch schema or database is then left behind; its name says what it is.
        }
    }
    ScopeExit(const ScopeExit&) = delete;
    ScopeExit& operator=(const ScopeExit&) = delete;

private:
    Undo undo_;
};

Schema load_in_scratch_schema(std::string_view sql_text, std::string_view source_name,
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
    const ScopeExit restore([&] {
        live.execute("SET search_path TO " + search_path);
        // DROP ... CASCADE would print a NOTICE per scratch table on the terminal.
        live.execute("SET client_min_messages TO warning");
        live.execute("DROP SCHEMA " + quoted + " CASCADE");
        live.execute("SET client_min_messages TO " + dialect.quote_literal(messages));
    });
    live.execute("SET search_path TO " + quoted);
    run_statements(live, dialect.kind(), sql_text, source_name);
    return inspect_schema(live, dialect, name, "", filter);
}

Schema load_in_scratch_database(std::string_view sql_text, std::string_view source_name,
                                const dialect::Dialect& dialect, db::Connection& live,
                                const TableFilter& filter) {
    const auto previous = live.query_rows("SELECT DATABASE()");
    const std::optional<std::string> database = previous.empty() ? std::nullopt : previous[0][0];
    const auto name = scratch_name();
    const auto quoted = dialect.quote_identifier(name);
    live.execute("CREATE DATABASE " + quoted);
    const ScopeExit restore([&] {
        live.execute("DROP DATABASE " + quoted);
        if (database) live.execute("USE " + dialect.quote_identifier(*database));
    });
    live.execute("USE " + quoted);
    run_statements(live, dialect.kind(), sql_text, source_name);
    return inspect_schema(live, dialect, name, "", filter);
}

}  // namespace

Schema load_desired_state(std::string_view sql_text, std::string_view source_name,
                          const dialect::Dialect& dialect, db::Connection& live,
                          const ScratchSqliteFactory& open_scratch_sqlite, const TableFilter& filter) {
    switch (dialect.kind()) {
        case dialect::DialectKind::Sqlite: {
            const auto scratch = open_scratch_sqlite();
            run_statements(*scratch, dialect.kind(), sql_text, source_name);
            return inspect_schema(*scratch, dialect, "", "", filter);
        }
        case dialect::DialectKind::Postgresql:
            return load_in_scratch_schema(sql_text, source_name, dialect, live, filter);
        case dialect::DialectKind::Mysql:
            return load_in_scratch_database(sql_text, source_name, dialect, live, filter);
    }
    throw Error("unknown dialect for the desired-state file " + std::string(source_name));
}

}  // namespace migrator::autogenerate
