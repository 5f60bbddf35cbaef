// The embedding API over the command layer: each call runs the same run_<command> function as the CLI,
// with this project's log sink installed on the calling thread.
#include <csignal>
#include <filesystem>
#include <new>
#include <optional>
#include <sstream>
#include <utility>

#include "command/check.hpp"
#include "command/current.hpp"
#include "command/downgrade.hpp"
#include "command/heads.hpp"
#include "command/history.hpp"
#include "command/log.hpp"
#include "command/stamp.hpp"
#include "command/upgrade.hpp"
#include "db/connect.hpp"
#include "db/connection.hpp"
#include "migrator/migrator.hpp"
#include "render/operation_listing.hpp"
#include "script/memory_script_files.hpp"
#include "util/interruption.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace migrator {

struct Project::State {
    State() : workspace(out, db::connect) { workspace.options().interruption = &interruption; }

    std::ostringstream out;  // what commands print; the API returns data instead
    command::Workspace workspace;
    util::Interruption interruption;
    log::Sink sink{log::Level::Error, {}};  // no callback: the project's lines go nowhere
    ProgressCallback progress;
    script::MemoryScriptFiles embedded;
    std::optional<std::string> embedded_location;  // set by use_scripts until the config takes it
    bool scripts_embedded = false;
};

namespace {

log::Level internal_level(LogLevel level) {
    switch (level) {
        case LogLevel::Debug:
            return log::Level::Debug;
        case LogLevel::Info:
            return log::Level::Info;
        case LogLevel::Warning:
            return log::Level::Warning;
        case LogLevel::Error:
            return log::Level::Error;
    }
    return log::Level::Info;
}

LogLevel public_level(log::Level level) {
    switch (level) {
        case log::Level::Debug:
            return LogLevel::Debug;
        case log::Level::Info:
            return LogLevel::Info;
        case log::Level::Warning:
            return LogLevel::Warning;
        case log::Level::Error:
            return LogLevel::Error;
    }
    return LogLevel::Info;
}

std::string clean(std::string_view message) {
    return util::printable(util::redact(message));
}

// One catch for every call: whatever the layers below throw leaves as one Error, without passwords.
template <class Action>
auto guarded(const log::Sink& sink, Action action) -> decltype(action()) {
    const log::ScopedSink scoped(&sink);
    try {
        return action();
    } catch (const util::Interrupted& e) {
        throw Error(clean(e.what()), ErrorKind::Interrupted);
    } catch (const Error& e) {
        Error cleaned(clean(e.message()), e.kind());
        throw cleaned;
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(clean(e.what()), ErrorKind::Invalid);
    }
}

config::Config config_of(const Settings& settings) {
    if (settings.url.empty()) throw Error("no database URL: Settings::url is empty");
    config::Config config;
    config.database_url = settings.url;
    config.url_env_var.clear();
    config.script_location = settings.script_location;
    for (const auto& location : settings.version_locations) config.version_locations.emplace_back(location);
    if (config.version_locations.empty())
        config.version_locations.push_back(config.script_location / "versions");
    config.version_table = settings.version_table;
    config.version_table_schema = settings.version_table_schema;
    config.history_table = settings.history_table;
    config.models = settings.models;
    config.verify = settings.verify == VerifyScripts::On;
    config.transaction_per_migration = settings.transaction_scope == TransactionScope::PerMigration;
    return config;
}

void set_timeouts(command::GlobalOptions& options, std::chrono::seconds lock_timeout,
                  std::chrono::seconds wait_timeout) {
    options.lock_timeout = lock_timeout;
    options.wait_timeout = wait_timeout;
    options.wait = wait_timeout.count() > 0 ? command::ConnectWait::On : command::ConnectWait::Off;
}

}  // namespace

Project::Project() : state_(std::make_unique<State>()) {}

Project::Project(const Settings& settings) : Project() {
    guarded(state_->sink, [&] {
        if (settings.lock_timeout.count() < 0 || settings.wait_timeout.count() < 0)
            throw Error("Settings::lock_timeout and wait_timeout must not be negative");
        state_->workspace.set_config(config_of(settings));
        set_timeouts(state_->workspace.options(), settings.lock_timeout, settings.wait_timeout);
    });
}

Project Project::from_config(const std::string& config_file, const ConfigOverrides& overrides) {
    Project project;
    auto& state = *project.state_;
    guarded(state.sink, [&] {
        auto& options = state.workspace.options();
        options.config_file = config_file;
        if (!overrides.url.empty()) options.url = overrides.url;
        if (!overrides.environment.empty()) options.environment = overrides.environment;
        set_timeouts(options, overrides.lock_timeout, overrides.wait_timeout);
        static_cast<void>(state.workspace.config());  // a wrong file fails here, not at the first command
    });
    return project;
}

Project::Project(Project&& other) noexcept = default;
Project& Project::operator=(Project&& other) noexcept = default;
Project::~Project() = default;

void Project::on_log(LogCallback callback, LogLevel threshold) {
    state_->sink.threshold = internal_level(threshold);
    if (!callback) {
        state_->sink = log::Sink{log::Level::Error, {}};
        return;
    }
    state_->sink.write = [callback = std::move(callback)](log::Level level, std::string_view line) {
        callback(public_level(level), line);
    };
}

void Project::on_progress(ProgressCallback callback) {
    state_->progress = std::move(callback);
    if (!state_->progress) {
        state_->workspace.set_step_observer({});
        return;
    }
    state_->workspace.set_step_observer(
        [state = state_.get()](const AppliedStep& step) { state->progress(step); });
}

void Project::use_scripts(const ScriptBundle& bundle) {
    guarded(state_->sink, [&] {
        const std::string location = bundle.location != nullptr ? bundle.location : "";
        state_->embedded.add_directory(location);
        for (std::size_t i = 0; i < bundle.count; ++i) {
            const auto& script = bundle.scripts[i];
            state_->embedded.add(std::filesystem::path(location) / script.name,
                                 std::string_view(script.text, script.size));
        }
        state_->workspace.set_script_files(state_->embedded);
        state_->embedded_location = location;
        state_->scripts_embedded = true;
    });
}

namespace {

// Before each call. The embedded bundle replaces the version locations of the config, once it is loaded.
// Only the commands that write the version table create a missing SQLite file; they say so themselves.
void prepare(command::Workspace& workspace, std::optional<std::string>& location) {
    workspace.options().database_creation = command::DatabaseCreation::Refused;
    if (!location) {
        return;
    }
    auto config = workspace.config();
    config.version_locations = {std::filesystem::path(*location)};
    workspace.set_config(std::move(config));
    location.reset();
}

}  // namespace

MigrationResult Project::upgrade(const std::string& target) {
    return guarded(state_->sink, [&] {
        prepare(state_->workspace, state_->embedded_location);
        command::MigrateOptions options;
        options.target = target;
        // Checkpoints are files next to the scripts on disk; an embedded project has none.
        const auto checkpoint =
            state_->scripts_embedded ? command::CheckpointUse::Never : command::CheckpointUse::Allowed;
        return command::run_upgrade(state_->workspace, options, checkpoint);
    });
}

MigrationResult Project::downgrade(const std::string& target) {
    return guarded(state_->sink, [&] {
        prepare(state_->workspace, state_->embedded_location);
        command::MigrateOptions options;
        options.target = target;
        return command::run_downgrade(state_->workspace, options);
    });
}

MigrationResult Project::stamp(const std::string& target) {
    return guarded(state_->sink, [&] {
        prepare(state_->workspace, state_->embedded_location);
        command::StampOptions options;
        options.target = target;
        return command::run_stamp(state_->workspace, options);
    });
}

std::vector<Revision> Project::current() {
    return guarded(state_->sink, [&] {
        prepare(state_->workspace, state_->embedded_location);
        return command::run_current(state_->workspace, command::CurrentOptions{}).listing.entries;
    });
}

std::vector<Revision> Project::heads() {
    return guarded(state_->sink, [&] {
        prepare(state_->workspace, state_->embedded_location);
        return command::run_heads(state_->workspace, command::HeadsOptions{}).entries;
    });
}

std::vector<Revision> Project::history() {
    return guarded(state_->sink, [&] {
        prepare(state_->workspace, state_->embedded_location);
        return command::run_history(state_->workspace, command::HistoryOptions{}).entries;
    });
}

std::vector<HistoryEntry> Project::log(std::size_t limit) {
    return guarded(state_->sink, [&] {
        prepare(state_->workspace, state_->embedded_location);
        command::LogOptions options;
        options.limit = limit;
        return command::run_log(state_->workspace, options);
    });
}

CheckResult Project::check() {
    return guarded(state_->sink, [&] {
        prepare(state_->workspace, state_->embedded_location);
        const auto check = command::run_check(state_->workspace, command::CheckOptions{});
        std::ostringstream text;
        render::print_operations_text(text, check.operations);
        CheckResult result;
        for (const auto& object : check.not_compared)
            result.not_compared.push_back(object.kind + " " + object.name);
        std::string line;
        std::istringstream lines(text.str());
        while (std::getline(lines, line)) {
            if (!line.empty()) result.pending_operations.push_back(line);
        }
        return result;
    });
}

void Project::interrupt() {
    static_cast<void>(state_->interruption.request(SIGINT));
}

}  // namespace migrator
