#include "cli/app.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <array>
#include <charconv>
#include <chrono>
#include <iostream>
#include <optional>
#include <string_view>

#include <sys/ioctl.h>
#include <unistd.h>

#include "cli/signal_watcher.hpp"
#include "command/branches.hpp"
#include "command/check.hpp"
#include "command/complete.hpp"
#include "command/current.hpp"
#include "command/downgrade.hpp"
#include "command/edit.hpp"
#include "command/ensure_version.hpp"
#include "command/heads.hpp"
#include "command/history.hpp"
#include "command/init.hpp"
#include "command/lint.hpp"
#include "command/log.hpp"
#include "command/merge.hpp"
#include "command/revision.hpp"
#include "command/show.hpp"
#include "command/squash.hpp"
#include "command/stamp.hpp"
#include "command/status.hpp"
#include "command/test.hpp"
#include "command/upgrade.hpp"
#include "command/verify.hpp"
#include "config/config.hpp"
#include "db/connect.hpp"
#include "db/connection.hpp"
#include "render/json_document.hpp"
#include "util/error.hpp"
#include "util/interruption.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace migrator::cli {

namespace {

// The table of subcommands, in the order `--help` lists them.
// `__complete` (hidden) is last: it lists the others.
constexpr std::array<command::CommandSetup, 21> subcommands{
    command::setup_init,     command::setup_revision, command::setup_upgrade,  command::setup_downgrade,
    command::setup_current,  command::setup_status,   command::setup_verify,   command::setup_log,
    command::setup_history,  command::setup_heads,    command::setup_branches, command::setup_show,
    command::setup_stamp,    command::setup_merge,    command::setup_edit,     command::setup_check,
    command::setup_test,     command::setup_lint,     command::setup_squash,   command::setup_ensure_version,
    command::setup_complete,
};

enum class Verbosity { Quiet, Normal, Debug };

constexpr const char* global_group = "Global options (before or after the command)";

// A subcommand's --help ends with the global options, without the names the subcommand uses itself
// (`log -n` is --max-count there).
std::string global_options_help(const CLI::App& root, const CLI::App& subcommand) {
    std::string text = fmt::format("{}:\n", global_group);
    for (const auto* option : root.get_options()) {
        if (option->get_group() != global_group) continue;
        std::vector<std::string> names;
        for (const auto& name : option->get_snames())
            if (subcommand.get_option_no_throw("-" + name) == nullptr) names.push_back("-" + name);
        for (const auto& name : option->get_lnames())
            if (subcommand.get_option_no_throw("--" + name) == nullptr) names.push_back("--" + name);
        if (names.empty()) continue;
        auto left = util::join(names, ",");
        if (option->get_type_size() != 0) left += " " + option->get_type_name();
        text += fmt::format("  {:<28}{}{}\n", left, left.size() >= 28 ? "\n" + std::string(30, ' ') : "",
                            option->get_description());
    }
    return text;
}

// CLI11's messages, reworded where they show its internals; an unknown command gets a suggestion.
std::string usage_message(const CLI::App& app, const CLI::ParseError& error) {
    const std::string hint = " (run 'migrator --help' for usage)";
    if (app.get_subcommands().empty()) {
        for (const auto& word : app.remaining()) {
            if (word.empty() || word.front() == '-') continue;
            std::vector<std::string_view> names;
            for (const auto* subcommand : app.get_subcommands({})) names.emplace_back(subcommand->get_name());
            return fmt::format("unknown command '{}'{}{}", word, util::did_you_mean(word, names), hint);
        }
    }
    std::string message = error.what();
    const auto colon = message.find(": ");
    if (message.starts_with("The following argument") && colon != std::string::npos)
        return fmt::format("unexpected argument(s): {}{}", message.substr(colon + 2), hint);
    if (error.get_name() == "ArgumentMismatch" && colon != std::string::npos)
        return fmt::format("{} needs a value{}", message.substr(0, colon), hint);
    return message + hint;
}

void configure_logging(Verbosity verbosity, log::Colour colour) {
    log::start(verbosity == Verbosity::Quiet   ? log::Level::Warning
               : verbosity == Verbosity::Debug ? log::Level::Debug
                                               : log::Level::Info,
               colour);
}

// One live line on a terminal that can rewrite it (even with -q: it leaves nothing behind); numbered
// lines elsewhere, and with --debug, whose lines would break the live one.
void configure_progress(command::GlobalOptions& global, Verbosity verbosity) {
    const auto term = config::process_environment()("TERM");
    const bool rewritable = isatty(STDERR_FILENO) == 1 && term && !term->empty() && *term != "dumb";
    if (!rewritable || verbosity == Verbosity::Debug) {
        global.progress = render::ProgressStyle::Lines;
        return;
    }
    global.progress = render::ProgressStyle::Live;
    winsize size{};
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 20) global.terminal_width = size.ws_col;
}

// --color auto follows https://no-color.org and TERM=dumb, and colours only a terminal.
log::Colour colour_for(const std::string& when) {
    if (when == "always") return log::Colour::Always;
    if (when == "never") return log::Colour::Never;
    if (when != "auto")
        throw Error(fmt::format("--color must be auto, always or never, not '{}'", when), ExitCode::Usage);
    const auto env = config::process_environment();
    if (const auto no_color = env("NO_COLOR"); no_color && !no_color->empty()) return log::Colour::Never;
    if (const auto term = env("TERM"); !term || term->empty() || *term == "dumb") return log::Colour::Never;
    return isatty(STDERR_FILENO) == 1 ? log::Colour::Always : log::Colour::Never;
}

// The last line of defence: no password, and nothing a terminal would act on. With --format json the
// error is also a JSON object on stdout, where the result would have been.
int report(std::string_view message, ExitCode code, const char* kind, render::OutputFormat format) {
    std::cerr << "error: " << util::printable(util::redact(message)) << '\n';
    if (format == render::OutputFormat::Json) {
        std::cout.flush();
        render::print_json(std::cout,
                           render::describe_error(util::redact(message), static_cast<int>(code), kind));
    }
    return static_cast<int>(code);
}

// Before parsing succeeds, whether the command line asked for JSON.
render::OutputFormat format_in(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (arg == "--") break;
        std::string_view value;
        if (arg == "--format" && i + 1 < argc) {
            value = argv[i + 1];
        } else if (arg.starts_with("--format=")) {
            value = arg.substr(9);
        }
        if (value.size() == 4 && (value[0] | 0x20) == 'j' && (value[1] | 0x20) == 's' &&
            (value[2] | 0x20) == 'o' && (value[3] | 0x20) == 'n') {
            return render::OutputFormat::Json;
        }
    }
    return render::OutputFormat::Text;
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
    command::Workspace workspace(std::cout, db::connect);
    auto& global = workspace.options();
    global.interruption = &interruption;

    CLI::App app{
        "migrator: versioned schema migrations for SQLite, PostgreSQL and MySQL, with Alembic's semantics",
        "migrator"};
    app.require_subcommand(1);
    // Options the subcommand does not know fall through to the root, so global options may follow it.
    app.fallthrough();
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
    std::string colour_text = "auto";
    app.add_option(
           "--color", colour_text,
           "Colour on stderr: auto (a terminal, unless NO_COLOR is set or TERM=dumb), always or never")
        ->type_name("WHEN");
    for (auto* option : app.get_options()) {
        if (option->get_name() != "--help") option->group(global_group);
    }

    std::vector<std::pair<CLI::App*, command::CommandAction>> actions;
    for (const auto setup : subcommands) {
        auto action = setup(app, workspace);
        auto* subcommand = app.get_subcommands({}).back();
        subcommand->footer([&app, subcommand] { return global_options_help(app, *subcommand); });
        actions.emplace_back(subcommand, std::move(action));
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
        return report(usage_message(app, e), ExitCode::Usage, "usage", format_in(argc, argv));
    }

    log::Colour colour = log::Colour::Never;
    try {
        colour = colour_for(colour_text);
        if (lock_timeout_text) global.lock_timeout = timeout_seconds("--lock-timeout", *lock_timeout_text);
        if (wait_timeout_text) global.wait_timeout = timeout_seconds("--wait-timeout", *wait_timeout_text);
    } catch (const Error& e) {
        return report(e.what(), e.code(), "usage", global.format);
    }
    global.wait = wait ? command::ConnectWait::On : command::ConnectWait::Off;
    configure_progress(global, debug ? Verbosity::Debug : Verbosity::Normal);
    configure_logging(quiet ? Verbosity::Quiet : debug ? Verbosity::Debug : Verbosity::Normal, colour);
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
        return report("no command given (run 'migrator --help')", ExitCode::Usage, "usage", global.format);
    } catch (const util::Interrupted& e) {
        std::cerr << util::redact(e.what()) << '\n';
        if (global.format == render::OutputFormat::Json && e.result_written() == util::ResultWritten::No) {
            render::print_json(std::cout,
                               render::describe_error(util::redact(e.what()), e.exit_code(), "interrupted"));
        }
        return e.exit_code();
    } catch (const db::DatabaseError& e) {
        return report(e.message(), ExitCode::Error, "database", global.format);
    } catch (const Error& e) {
        return report(e.message(), e.code(), e.code() == ExitCode::Usage ? "usage" : "error", global.format);
    } catch (const std::exception& e) {
        return report(e.what(), ExitCode::Error, "error", global.format);
    }
}

}  // namespace migrator::cli
