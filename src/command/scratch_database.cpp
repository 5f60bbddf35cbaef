#include "command/scratch_database.hpp"

#include <fmt/format.h>
#include <stdlib.h>

#include <random>

#include "autogenerate/desired_state.hpp"
#include "dialect/dialect.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"

namespace migrator::command {

namespace fs = std::filesystem;

std::string scratch_database_name() {
    std::random_device entropy;
    std::uniform_int_distribution<int> digit(0, 15);
    std::string name = "migrator_test_";
    for (int i = 0; i < 12; ++i) name += "0123456789abcdef"[digit(entropy)];
    return name;
}

std::unique_ptr<ScratchDatabase> ScratchDatabase::sqlite_file(const ScratchConnect& connect) {
    std::unique_ptr<ScratchDatabase> scratch(new ScratchDatabase());
    std::string pattern = (fs::temp_directory_path() / "migrator-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        throw Error(
            fmt::format("cannot create a temporary directory in {}", fs::temp_directory_path().string()));
    }
    scratch->directory_ = pattern;
    scratch->description_ = "a SQLite temporary file";
    config::DatabaseUrl url;
    url.dialect = dialect::DialectKind::Sqlite;
    url.scheme = "sqlite";
    url.database = (scratch->directory_ / "scratch.db").string();
    scratch->connection_ = connect(url);
    // Nothing in a scratch database needs to survive a crash: no waiting for the disk at each commit.
    scratch->connection_->execute("PRAGMA synchronous = OFF");
    return scratch;
}

std::unique_ptr<ScratchDatabase> ScratchDatabase::on_server(const config::DatabaseUrl& server,
                                                            const ScratchConnect& connect) {
    if (server.dialect == dialect::DialectKind::Sqlite) {
        throw Error(
            "test: --url must name a PostgreSQL or MySQL server to create the scratch database on; without "
            "--url the test runs in a SQLite temporary file",
            ExitCode::Usage);
    }
    std::unique_ptr<ScratchDatabase> scratch(new ScratchDatabase());
    const auto& dialect = dialect::dialect_for(server.dialect);
    scratch->admin_ = connect(server);
    scratch->name_ = scratch_database_name();
    autogenerate::create_database_like(*scratch->admin_, dialect, scratch->name_);
    scratch->server_ = server;
    scratch->description_ = fmt::format(
        "{} database {}", dialect.kind() == dialect::DialectKind::Postgresql ? "PostgreSQL" : "MySQL",
        scratch->name_);
    log::info("scratch database {} created on {}", scratch->name_, server.redacted());
    auto url = server;
    url.database = scratch->name_;
    scratch->connection_ = connect(url);
    if (dialect.kind() == dialect::DialectKind::Postgresql) {
        // As for SQLite: nothing here needs to be durable.
        scratch->connection_->execute("SET synchronous_commit = off");
    }
    return scratch;
}

ScratchDatabase::~ScratchDatabase() {
    connection_.reset();  // closed first: PostgreSQL refuses to drop a database someone is connected to
    if (server_) {
        const auto& dialect = dialect::dialect_for(server_->dialect);
        // FORCE ends a session that a cancelled statement left behind (PostgreSQL 13 and later).
        const auto drop =
            fmt::format("DROP DATABASE {}{}", dialect.quote_identifier(name_),
                        dialect.kind() == dialect::DialectKind::Postgresql ? " WITH (FORCE)" : "");
        try {
            admin_->execute(drop);
            log::info("scratch database {} dropped", name_);
        } catch (const std::exception& error) {
            log::warn("could not drop the scratch database {} on {}: {}; drop it by hand", name_,
                      server_->redacted(), util::redact(error.what()));
        }
        return;
    }
    std::error_code error;
    fs::remove_all(directory_, error);
    if (error)
        log::warn("could not remove the scratch directory {}: {}", directory_.string(), error.message());
}

}  // namespace migrator::command
