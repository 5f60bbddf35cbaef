#include "command/squash.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "autogenerate/compare.hpp"
#include "autogenerate/desired_state.hpp"
#include "autogenerate/inspector.hpp"
#include "autogenerate/unsupported_objects.hpp"
#include "command/autogenerate.hpp"
#include "db/connect.hpp"
#include "dialect/ddl.hpp"
#include "runtime/checkpoint_image.hpp"
#include "runtime/migration_context.hpp"
#include "runtime/planner.hpp"
#include "script/checkpoint_file.hpp"
#include "script/script_loader.hpp"
#include "script/statement_splitter.hpp"
#include "util/clock.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/scope_exit.hpp"

namespace migrator::command {

namespace {

namespace fs = std::filesystem;

constexpr std::size_t listed_in_error = 5;

// "path:line: KEYWORD" for every statement of the plan's upgrade sections that changes data.
std::vector<std::string> data_changes_in(const runtime::Plan& plan, dialect::DialectKind dialect) {
    std::vector<std::string> found;
    const auto& files = script::disk_script_files();
    for (const auto& step : plan.steps) {
        if (step.revision == nullptr) continue;
        const auto path = step.revision->path();
        const auto text = files.read_path(path).value_or_throw();
        auto parsed = script::parse_sql_bodies(text, path, step.revision->id());
        const auto script = std::move(parsed).value_or_throw();
        const auto statements = script::split_statements(script.upgrade.sql, dialect,
                                                         script::SqlSource{path, script.upgrade.line + 1})
                                    .value_or_throw();
        for (const auto& statement : statements) {
            if (const auto keyword = script::data_statement_keyword(statement.sql)) {
                found.push_back(fmt::format("{}:{}: {}", path, statement.line, *keyword));
            }
        }
    }
    return found;
}

std::string first_few(const std::vector<std::string>& items) {
    std::string text;
    for (std::size_t i = 0; i < items.size() && i < listed_in_error; ++i)
        text += (i == 0 ? "" : ", ") + items[i];
    if (items.size() > listed_in_error) text += fmt::format(" and {} more", items.size() - listed_in_error);
    return text;
}

// A scratch database that outlives the command is named after it; say so, but keep the first error.
void warn_cleanup_failed(const std::exception& error) {
    log::warn("cleaning up the scratch database failed: {}", error.what());
}

// Hands `use` a connection to an empty scratch database of the workspace's dialect, removed afterwards:
// a temporary SQLite file, or a database created beside the configured one on the server. A separate
// database (not a schema) keeps a script that names its schema away from the real tables.
template <class Use>
void with_scratch_database(Workspace& workspace, Use use) {
    auto url = workspace.database_url();
    const auto pid = static_cast<long>(::getpid());
    if (url.dialect == dialect::DialectKind::Sqlite) {
        const auto file = fs::temp_directory_path() / fmt::format("migrator_checkpoint_{}.db", pid);
        const auto remove_files = [&file] {
            std::error_code ignored;
            for (const char* suffix : {"", "-journal", "-wal", "-shm"})
                fs::remove(file.string() + suffix, ignored);
        };
        remove_files();
        const util::ScopeExit cleanup(remove_files, warn_cleanup_failed);
        url.database = file.string();
        url.query.clear();
        auto scratch = db::connect(url);
        use(*scratch);
        return;
    }
    // Identifiers are at most 63 (PostgreSQL) or 64 (MySQL) characters long.
    const auto suffix = fmt::format("_migrator_checkpoint_{}", pid);
    const auto name = url.database.substr(0, 63 - suffix.size()) + suffix;
    const auto& dialect = workspace.dialect();
    auto& live = workspace.connection();
    autogenerate::create_database_like(live, dialect, name);
    log::info("scratch database {} created", name);
    const util::ScopeExit drop([&] { live.execute("DROP DATABASE " + dialect.quote_identifier(name)); },
                               warn_cleanup_failed);
    url.database = name;
    auto scratch = db::connect(url);
    use(*scratch);
    scratch.reset();  // closed before the DROP, which PostgreSQL refuses while it is connected
}

fs::path write_exclusive(const fs::path& path, const std::string& text) {
    std::error_code error;
    fs::create_directories(path.parent_path(), error);
    if (error)
        throw Error(fmt::format("cannot create '{}': {}", path.parent_path().string(), error.message()));
    // "x": fails when the file exists, so that two runs never overwrite each other's checkpoint.
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(std::fopen(path.c_str(), "wbx"), &std::fclose);
    if (!file) throw Error(fmt::format("'{}' already exists or cannot be created", path.string()));
    if (std::fwrite(text.data(), 1, text.size(), file.get()) != text.size() || std::fflush(file.get()) != 0) {
        throw Error(fmt::format("cannot write '{}'", path.string()));
    }
    return path;
}

}  // namespace

CommandAction setup_squash(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<SquashOptions>();
    auto* command = root.add_subcommand("squash",
                                        "Write a checkpoint: the whole schema at a revision, which upgrade "
                                        "runs on a fresh database instead of "
                                        "replaying the scripts up to it");
    command->add_option("revision", options->revision, "The revision the checkpoint stands for (or head)")
        ->required();
    command->add_option("-m,--message", options->message, "A message for the checkpoint's header")
        ->required();
    command->add_flag(
        "--schema-only", [options](std::int64_t) { options->data_changes = DataChanges::LeaveOut; },
        "Write the checkpoint even though scripts up to the revision change data (the data is left out)");
    return [options, &workspace] {
        const auto path = run_squash(workspace, *options);
        fmt::print(workspace.out(), "Generating {} ... done\n", path.string());
        return ExitCode::Ok;
    };
}

fs::path run_squash(Workspace& workspace, const SquashOptions& options) {
    const auto& config = workspace.config();
    const auto& revisions = workspace.revisions();
    const auto& dialect = workspace.dialect();
    const auto plan = runtime::plan_upgrade(revisions, {}, options.revision);
    if (plan.heads_after.size() != 1) {
        throw Error(fmt::format("squash: '{}' stands for {} heads ({}); name one revision", options.revision,
                                plan.heads_after.size(), describe_heads(plan.heads_after)),
                    ExitCode::Usage);
    }
    const auto& revision = plan.heads_after.front();
    auto path = script::checkpoint_directory(config.script_location) /
                script::checkpoint_file_name(revision, dialect.name());
    if (fs::exists(path)) throw Error(fmt::format("squash: '{}' already exists", path.string()));

    const auto data_changes = data_changes_in(plan, dialect.kind());
    if (!data_changes.empty() && options.data_changes == DataChanges::Refuse) {
        for (const auto& change : data_changes) log::warn("changes data: {}", change);
        throw Error(fmt::format(
            "squash: {} statement(s) up to {} change data, which a checkpoint of the schema leaves out: {}; "
            "pass --schema-only to write it without them",
            data_changes.size(), revision, first_few(data_changes)));
    }

    std::vector<std::string> statements;
    with_scratch_database(workspace, [&](db::Connection& scratch) {
        runtime::MigrationOptions replay;
        replay.transaction_scope = config.transaction_per_migration ? runtime::TransactionScope::PerMigration
                                                                    : runtime::TransactionScope::WholeCommand;
        replay.version_table = config.version_table;
        replay.history_table = config.history_table;
        runtime::MigrationContext(scratch, dialect, replay).run(plan);
        const auto unsupported = autogenerate::unsupported_objects(scratch, dialect);
        if (!unsupported.empty()) {
            throw Error(
                fmt::format("squash: the schema at {} has objects a checkpoint cannot carry: {}; keep "
                            "replaying the scripts "
                            "(no checkpoint) or squash an earlier revision",
                            revision, first_few(unsupported)));
        }
        const auto schema = autogenerate::inspect_schema(scratch, dialect, "", config.version_table,
                                                         without_history_table(config));
        const auto operations = autogenerate::compare_schemas({}, schema, dialect);
        statements = dialect::render_operations(dialect, {}, schema, operations);
    });

    script::CheckpointFile header;
    header.revision = revision;
    header.message = options.message;
    header.dialect = std::string(dialect.name());
    header.create_date = util::now_in(config.timezone).value_or_throw().text();
    std::vector<std::string> notes{
        fmt::format("Stands for the {} revision(s) from base to {}; upgrade runs it on a database without a "
                    "version table, then the scripts after {}.",
                    plan.steps.size(), revision, revision)};
    // The header names the scripts relative to the script location: the file is shared through the
    // repository.
    for (const auto& change : data_changes) {
        const auto relative = fs::path(change).lexically_relative(config.script_location).string();
        notes.push_back("not carried (--schema-only): " +
                        (relative.empty() || relative.starts_with("..") ? change : relative));
    }
    for (const auto& change : data_changes) log::warn("left out (--schema-only): {}", change);
    const auto text = script::render_checkpoint(header, notes, statements);
    if (dialect.kind() != dialect::DialectKind::Sqlite) return write_exclusive(path, text);
    // SQLite also gets the database the script gives, which upgrade copies in instead of running it.
    const auto parsed = script::parse_checkpoint(text, path.string(), dialect.kind()).value_or_throw();
    const auto image = runtime::checkpoint_image_path(path, text);
    runtime::write_checkpoint_image(image, parsed.statements, revision,
                                    {config.version_table_schema, config.version_table}, path.string());
    {
        // The image without its script is of no use: it goes when writing the script fails.
        const util::ScopeExit remove_image(
            [&] {
                if (!fs::exists(path)) fs::remove(image);
            },
            warn_cleanup_failed);
        write_exclusive(path, text);
    }
    log::info("squash: wrote the database image {}", image.string());
    return path;
}

}  // namespace migrator::command
