#pragma once
// What every command may need, loaded once and only when asked for: the config, the
// revision map and the database connection. Commands that do not connect never do.

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "config/database_url.hpp"
#include "db/connection.hpp"
#include "dialect/dialect.hpp"
#include "render/migration_report.hpp"
#include "render/revision_listing.hpp"
#include "script/revision_map.hpp"

namespace migrator::script {
class ScriptFiles;
}

namespace migrator::util {
class Interruption;
}

namespace migrator::command {

/// Whether connecting may create a SQLite file that does not exist: only commands that write the version
/// table do (upgrade, stamp, ensure_version); a read command says the file is missing instead.
/// `check` and `revision --autogenerate` compare with a missing file as with an empty database, in memory.
enum class DatabaseCreation { Refused, Allowed, EmptyInMemory };

/// Whether to retry connecting until the database accepts connections (`--wait`).
enum class ConnectWait { Off, On };

/// Whether upgrade, downgrade and stamp keep every completed step in their result. The API and JSON output
/// return the list; the CLI's text output has printed each step as it ran, and a long list costs memory.
enum class StepRecords { Kept, Dropped };

/// Options of every command (before or after the subcommand on the command line).
struct GlobalOptions {
    std::filesystem::path config_file = "migrator.yaml";            // -c
    std::optional<std::string> environment;                         // -n
    std::vector<std::string> x_arguments;                           // -x key=value, as typed
    std::optional<std::string> url;                                 // --url
    std::chrono::seconds lock_timeout{60};                          // --lock-timeout
    ConnectWait wait = ConnectWait::Off;                            // --wait
    std::chrono::seconds wait_timeout{60};                          // --wait-timeout
    util::Interruption* interruption = nullptr;                     // set by a signal (cli/signal_watcher)
    render::OutputFormat format = render::OutputFormat::Text;       // the command's --format, for errors too
    render::ProgressStyle progress = render::ProgressStyle::Lines;  // decided from the terminal and -q
    std::size_t terminal_width = 80;                                // bounds the live progress line
    DatabaseCreation database_creation = DatabaseCreation::Refused;
    StepRecords step_records = StepRecords::Kept;  // the CLI drops them for text output
};

/// Opens a connection for a URL; replaceable so that tests can supply a fake.
using ConnectionFactory = std::function<std::unique_ptr<db::Connection>(const config::DatabaseUrl&)>;

/// Told about each step of upgrade, downgrade or stamp as it completes (a library caller's progress).
using StepObserver = std::function<void(const AppliedStep& step)>;

/// Told when step `number` (from 1) of a plan of `total` steps starts (a fleet's live table).
using StepStarted = std::function<void(std::size_t number, std::size_t total)>;

/// Lazily loaded state shared by the commands of one invocation.
class Workspace {
public:
    /// `out` receives results; diagnostics go to stderr (util/log.hpp).
    Workspace(std::ostream& out, ConnectionFactory connect);
    ~Workspace();
    Workspace(const Workspace&) = delete;
    Workspace& operator=(const Workspace&) = delete;

    /// Where results are printed.
    std::ostream& out() { return out_; }
    /// The global options; the CLI binds them before parsing, commands read them after.
    GlobalOptions& options() { return options_; }

    /// The configuration; throws Error when the file is missing or wrong.
    const config::Config& config();
    /// Uses `config` instead of reading options().config_file (a project built in code).
    void set_config(config::Config config);
    /// Where scripts are listed and read: the disk unless set_script_files chose others.
    const script::ScriptFiles& script_files() const { return *script_files_; }
    /// Reads scripts from `files` (scripts compiled into a program), which must outlive the workspace.
    void set_script_files(const script::ScriptFiles& files) { script_files_ = &files; }
    /// Sets who is told about each completed step.
    void set_step_observer(StepObserver observer) { step_observer_ = std::move(observer); }
    /// Tells the step observer, if any, that `step` completed.
    void step_completed(const AppliedStep& step) const {
        if (step_observer_) {
            step_observer_(step);
        }
    }
    /// Sets who is told when each step starts.
    void set_step_started(StepStarted listener) { step_started_ = std::move(listener); }
    /// Tells the listener, if any, that step `number` of `total` starts.
    void step_started(std::size_t number, std::size_t total) const {
        if (step_started_) {
            step_started_(number, total);
        }
    }
    /// How this workspace connects: a fleet's workspaces connect the same way.
    [[nodiscard]] const ConnectionFactory& connection_factory() const { return connect_; }
    /// The validated revision graph of every script in the version locations.
    const script::RevisionMap& revisions();
    /// The database URL in force; throws Error naming where to set one when none is given.
    const config::DatabaseUrl& database_url();
    /// The dialect of the database URL, without connecting.
    const dialect::Dialect& dialect();
    /// The live connection, opened on first use (retried until --wait-timeout with --wait).
    db::Connection& connection();
    /// Takes the one-migrator-at-a-time lock, once, held until the workspace is destroyed;
    /// throws Error when another runner holds it past --lock-timeout.
    db::Lock& lock_database();

private:
    GlobalOptions options_;
    std::ostream& out_;
    ConnectionFactory connect_;
    std::optional<config::Config> config_;
    const script::ScriptFiles* script_files_;
    StepObserver step_observer_;
    StepStarted step_started_;
    std::unique_ptr<script::RevisionMap> revisions_;
    std::optional<config::DatabaseUrl> url_;
    std::unique_ptr<db::Connection> connection_;
    bool in_memory_stand_in_ = false;  // connection_ is the empty database of DatabaseCreation::EmptyInMemory
    std::unique_ptr<db::Lock> lock_;   // after connection_: released before it closes
};

/// Parses "-x key=value" arguments; a missing '=' is an Error naming the argument.
std::map<std::string, std::string> parse_x_arguments(const std::vector<std::string>& arguments);

}  // namespace migrator::command
