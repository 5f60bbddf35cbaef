#include "migrator/cli/app.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <array>
#include <charconv>
#include <chrono>
#include <iostream>
#include <optional>
#include <string_view>

#include "migrator/cli/signal_watcher.hpp"
#include "migrator/command/branches.hpp"
#include "migrator/command/check.hpp"
#include "migrator/command/complete.hpp"
#include "migrator/command/current.hpp"
#include "migrator/command/downgrade.hpp"
#include "migrator/command/edit.hpp"
#include "migrator/command/ensure_version.hpp"
#include "migrator/command/heads.hpp"
#include "migrator/command/history.hpp"
#include "migrator/command/init.hpp"
#include "migrator/command/log.hpp"
#include "migrator/command/merge.hpp"
#include "migrator/command/revision.hpp"
#include "migrator/command/show.hpp"
#include "migrator/command/squash.hpp"
#include "migrator/command/stamp.hpp"
#include "migrator/command/status.hpp"
#include "migrator/command/upgrade.hpp"
#include "migrator/command/verify.hpp"
#include "migrator/db/connection.hpp"
#include "migrator/db/soci_connection.hpp"
#include "migrator/util/error.hpp"
#include "migrator/util/interruption.hpp"
#include "migrator/util/log.hpp"
#include "migrator/util/redact.hpp"
#include "migrator/util/strings.hpp"

namespace migrator::cli {

namespace {

// The table of subcommands, in the order `--help` lists them.
// `__complete` (hidden) is last: it lists the others.
constexpr std::array<command::CommandSetup, 19> subcommands{
    command::setup_init,    command::setup_revision,       command::setup_upgrade,  command::setup_downgrade,
    command::setup_current, command::setup_status,         command::setup_verify,   command::setup_log,
    command::setup_history, command::setup_heads,          command::setup_branches, command::setup_show,
    command::setup_stamp,   command::setup_merge,          command::setup_edit,     command::setup_check,
    command::setup_squash,  command::setup_ensure_version, command::setup_complete,
};

enum class Verbosity { Quiet, Normal, Debug };

void configure_logging(Verbosity verbosity) {
    log::start(verbosity == Verbosity::Quiet   ? log::Level::Warning
               : verbosity == Verbosity::Debug ? log::Level::Debug
                                               : log::Level::Info);
}

// The last line of defence: no password, and nothing a terminal would act on.
int report(std::string_view message, ExitCode code) {
    std::cerr << "error: " << util::printable(util::redact(message)) << '\n';
    return static_cast<int>(code);
}

// PostgreSQL's lock_timeout is an int of milliseconds; the other limits share its range.
constexpr long long max_timeout_seconds = 2147483;

std::chrono::seconds timeout_seconds(std::string_view flag, const std::string& text) {
    long long value = -1;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 0 ||
        value > max_timeout_seconds) {
        throw Error(
            fmt::format("{} must be whole seconds from 0 to {}, not '{}'", flag, max_timeout_seconds, text),
            ExitCode::Usage);
    }
    return std::chrono::seconds(value);
}

}  // namespace

int run(int argc, char** argv) {
    // Before any thread starts, so that every thread inherits the blocked signals.
    util::Interruption interruption;
    const SignalWatcher watcher(interruption);
    command::Workspace workspace(std::cout, db::open_connection);
    auto& global = workspace.options();
    global.interruption = &interruption;

    CLI::App app{
        "migrator: versioned schema migrations for SQLite, PostgreSQL and MySQL, with Alembic's semantics",
        "migrator"};
    app.require_subcommand(1);
    app.set_version_flag("--version", MIGRATOR_VERSION);
    app.add_option("-c,--config", global.config_file, "The config file (default migrator.yaml)")
        ->envname("MIGRATOR_CONFIG");
    app.add_option("-n,--name", global.environment, "A named environment from the config's `environments:`");
    app.add_option("-x", global.x_arguments, "key=value passed to templates (repeatable)")
        ->allow_extra_args(false);
    app.add_option("--url", global.url,
                   "The database URL, overriding the config and its environment variable");
    std::optional<std::string> lock_timeout_text;
    app.add_option("--lock-timeout", lock_timeout_text,
                   "Seconds to wait for another migrator's upgrade/downgrade/stamp to finish, 0 to 2147483 "
                   "(default 60)");
    bool wait = false;
    app.add_flag("--wait", wait, "Retry connecting until the database accepts connections");
    std::optional<std::string> wait_timeout_text;
    app.add_option("--wait-timeout", wait_timeout_text,
                   "Seconds --wait keeps retrying, connect attempts included, 0 to 2147483 (default 60)");
    bool quiet = false;
    bool debug = false;
    app.add_flag("-q,--quiet", quiet, "Only print warnings and errors on stderr");
    app.add_flag("--debug", debug, "Print debugging diagnostics on stderr");

    std::vector<std::pair<CLI::App*, command::CommandAction>> actions;
    for (const auto setup : subcommands) {
        auto action = setup(app, workspace);
        actions.emplace_back(app.get_subcommands({}).back(), std::move(action));
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        return report(fmt::format("{} (run 'migrator --help' for usage)", e.what()), ExitCode::Usage);
    }

    try {
        if (lock_timeout_text) global.lock_timeout = timeout_seconds("--lock-timeout", *lock_timeout_text);
        if (wait_timeout_text) global.wait_timeout = timeout_seconds("--wait-timeout", *wait_timeout_text);
    } catch (const Error& e) {
        return report(e.what(), e.code());
    }
    global.wait = wait ? command::ConnectWait::On : command::ConnectWait::Off;
    configure_logging(quiet ? Verbosity::Quiet : debug ? Verbosity::Debug : Verbosity::Normal);
    try {
        for (auto& [subcommand, action] : actions) {
            if (!subcommand->parsed()) continue;
            const auto code = action();
            // The signal came after the last step committed: the work is done, and the exit says so.
            if (interruption.requested()) {
                std::cerr << "interrupted: after the command had finished\n";
                return interruption.exit_code();
            }
            return static_cast<int>(code);
        }
        return report("no command given (run 'migrator --help')", ExitCode::Usage);
    } catch (const util::Interrupted& e) {
        std::cerr << util::redact(e.what()) << '\n';
        return e.exit_code();
    } catch (const Error& e) {
        return report(e.message(), e.code());
    } catch (const db::DatabaseError& e) {
        return report(e.message(), ExitCode::Error);
    } catch (const std::exception& e) {
        return report(e.what(), ExitCode::Error);
    }
}

}  // namespace migrator::cli
