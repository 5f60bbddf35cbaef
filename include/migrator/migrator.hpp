#pragma once
// migrator's embedding API: run migrations from a C++ program, the way Alembic's users call
// alembic.command.upgrade(cfg, "head"). Standard C++17. This header, error.hpp and results.hpp are the
// public API; everything else in include/migrator/ is internal.
//
//     migrator::Settings settings;
//     settings.url = "postgresql://app@localhost/app";
//     settings.script_location = "/usr/share/app/migrations";
//     migrator::Project project(settings);
//     project.on_log([](migrator::LogLevel, std::string_view line) { std::clog << line << '\n'; });
//     const migrator::MigrationResult result = project.upgrade("head");
//
// A Project is used from one thread at a time; two projects (on two databases) may run on two threads.
// Every failure is a migrator::Error (migrator/error.hpp) with a kind and a one-line message. The results
// (migrator/results.hpp) are the structs the command line prints as JSON (docs/json.md).

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "migrator/error.hpp"
#include "migrator/results.hpp"

namespace migrator {

/// How much a log line matters.
enum class LogLevel { Debug, Info, Warning, Error };

/// Receives each log line of one project's calls, on the thread that made the call (or a helper thread
/// of that call), with passwords masked and control characters escaped. No "info: " prefix.
using LogCallback = std::function<void(LogLevel level, std::string_view line)>;

/// Receives each step as it completes, before the call returns: progress for a long upgrade.
using ProgressCallback = std::function<void(const AppliedStep& step)>;

/// What check() found.
struct CheckResult {
    /// The operations that would turn the database into the models, one line each; empty when they match.
    std::vector<std::string> pending_operations;
    /// Objects the comparison does not cover (views, triggers...), as "trigger users_touch"; a project with
    /// any is never reported up to date, since they may differ.
    std::vector<std::string> not_compared;
    [[nodiscard]] bool up_to_date() const { return pending_operations.empty() && not_compared.empty(); }
};

/// One script compiled into the program.
struct EmbeddedScript {
    const char* name;  // the file name, such as "0001_3f2a9c_create_users.sql"
    const char* text;
    std::size_t size;
};

/// The scripts of one version location compiled into the program by migrator_embed_scripts() (CMake):
/// the generated function returns one of these.
struct ScriptBundle {
    const char* location;  // the directory's name, used in messages ("versions/0001_....sql")
    const EmbeddedScript* scripts;
    std::size_t count;
};

/// Whether applied scripts are compared with their recorded checksums before a change (docs/integrity.md).
enum class VerifyScripts { On, Off };

/// Whether each migration commits on its own (the default) or the whole call is one transaction.
enum class TransactionScope { PerMigration, WholeCall };

/// A project built in code: what migrator.yaml would say. Relative paths are relative to the working
/// directory.
struct Settings {
    std::string url;              // the database URL (docs/configuration.md), e.g. "sqlite:///app.db"
    std::string script_location;  // holds versions/ and checkpoints/; unused with embedded scripts
    std::vector<std::string> version_locations;  // default: script_location/versions
    std::string version_table = "migrator_version";
    std::string version_table_schema;
    std::string history_table = "migrator_history";
    std::string models;  // the models file check() compares with (docs/models.md); empty: none
    TransactionScope transaction_scope = TransactionScope::PerMigration;
    VerifyScripts verify = VerifyScripts::On;
    std::chrono::seconds lock_timeout{60};  // how long to wait for another migrator's lock
    std::chrono::seconds wait_timeout{0};   // retry connecting this long while the server starts; 0: once
};

/// What a config file cannot say, or says differently for this program.
struct ConfigOverrides {
    std::string url;          // non-empty: wins over the file and its environment variable
    std::string environment;  // non-empty: the named environment (`-n`)
    std::chrono::seconds lock_timeout{60};
    std::chrono::seconds wait_timeout{0};
};

/// One migration project: its scripts and its database. Connects on the first call that needs the
/// database and keeps the connection (and, after a change, the migration lock) until destroyed.
class Project {
public:
    /// A project built in code; nothing is read or connected yet.
    explicit Project(const Settings& settings);
    /// A project read from a config file (migrator.yaml), with DATABASE_URL and ${VAR} as the command
    /// line reads them; throws Error naming the file and the key when it is wrong.
    static Project from_config(const std::string& config_file, const ConfigOverrides& overrides = {});

    Project(Project&& other) noexcept;
    Project& operator=(Project&& other) noexcept;
    Project(const Project&) = delete;
    Project& operator=(const Project&) = delete;
    ~Project();

    /// Sends this project's log lines at `threshold` and above to `callback` (default: none are shown).
    void on_log(LogCallback callback, LogLevel threshold = LogLevel::Info);
    /// Tells `callback` about each step of upgrade, downgrade and stamp as it completes.
    void on_progress(ProgressCallback callback);
    /// Reads the scripts from `bundle` instead of the disk; its location is the one version location.
    /// Checkpoints are not used then. Call before the first command.
    void use_scripts(const ScriptBundle& bundle);

    /// Upgrades to `target`: "head", "heads", a revision, "+N", "BRANCH@head" (docs/revisions.md).
    MigrationResult upgrade(const std::string& target = "head");
    /// Downgrades to `target`: "base", a revision, "-N", "BRANCH@-N".
    MigrationResult downgrade(const std::string& target);
    /// Sets the version table to `target` without running SQL.
    MigrationResult stamp(const std::string& target);
    /// The revisions the database is at (empty at base); never creates the version table.
    std::vector<Revision> current();
    /// The scripts' heads; does not connect.
    std::vector<Revision> heads();
    /// Every revision, newest first; does not connect.
    std::vector<Revision> history();
    /// Compares the models (config `models:`) with the database (docs/autogenerate.md).
    CheckResult check();
    /// The history table's rows, newest first: at most `limit` (0: all); none when nothing was recorded.
    /// Never creates the table.
    std::vector<HistoryEntry> log(std::size_t limit = 0);

    /// Asks a running call (on another thread) to stop between statements; it throws Error of kind
    /// Interrupted, leaving every step committed before it applied. Safe from any thread.
    void interrupt();

private:
    Project();
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace migrator
