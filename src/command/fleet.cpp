#include "command/fleet.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <memory>
#include <mutex>
#include <sstream>
#include <thread>

#include "config/database_url.hpp"
#include "config/targets.hpp"
#include "db/connection.hpp"
#include "render/fleet_report.hpp"
#include "util/interruption.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"
#include "util/strings.hpp"

namespace migrator::command {

namespace {

// An unknown --target lists the names it could have been, up to this many.
constexpr std::size_t max_names_listed = 10;

std::vector<const config::TargetSpec*> choose(const std::vector<config::TargetSpec>& targets,
                                              const TargetSelection& selection,
                                              const config::Config& config) {
    std::vector<const config::TargetSpec*> chosen;
    if (selection.all == AllTargets::On) {
        chosen.reserve(targets.size());
        for (const auto& target : targets) chosen.push_back(&target);
        return chosen;
    }
    chosen.reserve(selection.names.size());
    for (const auto& name : selection.names) {
        const auto found =
            std::find_if(targets.begin(), targets.end(),
                         [&](const config::TargetSpec& target) { return target.name == name; });
        if (found != targets.end()) {
            if (std::find(chosen.begin(), chosen.end(), &*found) == chosen.end()) chosen.push_back(&*found);
            continue;
        }
        std::vector<std::string_view> candidates;
        std::vector<std::string> listed;
        candidates.reserve(targets.size());
        for (const auto& target : targets) {
            candidates.emplace_back(target.name);
            if (listed.size() < max_names_listed) listed.push_back(target.name);
        }
        if (targets.size() > listed.size()) listed.emplace_back("...");
        throw Error(
            fmt::format("{}: unknown target '{}'{}; targets: {}", config.config_file.string(),
                        util::printable(name), util::did_you_mean(name, candidates), util::join(listed)),
            ExitCode::Usage);
    }
    return chosen;
}

// What one target's thread shares with the others.
struct Fleet {
    Workspace& parent;
    const std::vector<config::Config>& configs;
    std::vector<render::TargetOutcome>& outcomes;
    std::vector<std::unique_ptr<util::Interruption>>& interruptions;
    render::FleetProgress& progress;
    const TargetAction& action;
    log::Level forwarded;  // a target's log lines at this level and above reach stderr, named
    FailFast fail_fast;
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
};

render::ErrorReport describe_failure(const std::string& message, int code, const char* kind) {
    return render::describe_error(util::printable(util::redact(message)), code, kind);
}

void run_target(Fleet& fleet, std::size_t index) {
    auto& outcome = fleet.outcomes[index];
    fleet.progress.started(index);
    const auto began = std::chrono::steady_clock::now();
    std::ostringstream out;
    std::string last_line;       // the run's last info line ("done: 3 step(s) ..."), for its event line
    std::mutex last_line_mutex;  // the run's helper thread (runtime/step_preparer) logs too
    log::Sink sink{log::Level::Info, [&](log::Level level, std::string_view line) {
                       if (level == log::Level::Info) {
                           const std::lock_guard lock(last_line_mutex);
                           last_line = line;
                       }
                       if (level >= fleet.forwarded) {
                           fleet.progress.forward(level, fmt::format("{}: {}", outcome.name, line));
                       }
                   }};
    if (fleet.forwarded < sink.threshold) sink.threshold = fleet.forwarded;
    const log::ScopedSink scoped(&sink);
    try {
        Workspace workspace(out, fleet.parent.connection_factory());
        auto& options = workspace.options();
        options = fleet.parent.options();
        options.url.reset();
        options.interruption = fleet.interruptions[index].get();
        options.progress = render::ProgressStyle::Silent;
        workspace.set_config(fleet.configs[index]);
        workspace.set_script_files(fleet.parent.script_files());
        workspace.set_step_started([&fleet, index](std::size_t number, std::size_t total) {
            fleet.progress.step_started(index, number, total);
        });
        const auto code = fleet.action(workspace);
        outcome.exit_code = static_cast<int>(code);
        outcome.state = code == ExitCode::Ok ? render::TargetState::Done : render::TargetState::NotUpToDate;
    } catch (const util::Interrupted& e) {
        outcome.exit_code = e.exit_code();
        outcome.error = describe_failure(e.what(), e.exit_code(), "interrupted");
    } catch (const db::DatabaseError& e) {
        outcome.exit_code = static_cast<int>(ExitCode::Error);
        outcome.error = describe_failure(e.message(), outcome.exit_code, "database");
    } catch (const Error& e) {
        outcome.exit_code = static_cast<int>(e.code());
        outcome.error =
            describe_failure(e.message(), outcome.exit_code, e.code() == ExitCode::Usage ? "usage" : "error");
    } catch (const std::exception& e) {
        outcome.exit_code = static_cast<int>(ExitCode::Error);
        outcome.error = describe_failure(e.what(), outcome.exit_code, "error");
    }
    outcome.duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began)
            .count();
    outcome.output = out.str();
    if (outcome.error) {
        outcome.state = render::TargetState::Failed;
        if (fleet.fail_fast == FailFast::On) fleet.stop = true;
    }
    fleet.progress.finished(index, outcome.state, outcome.error ? outcome.error->message : last_line);
}

void work(Fleet& fleet, const util::Interruption* interruption) {
    for (;;) {
        const auto index = fleet.next.fetch_add(1);
        if (index >= fleet.outcomes.size()) return;
        if (fleet.stop || (interruption != nullptr && interruption->requested())) {
            fleet.outcomes[index].state = render::TargetState::NotRun;
            fleet.progress.finished(index, render::TargetState::NotRun, "");
            continue;
        }
        run_target(fleet, index);
    }
}

}  // namespace

void add_target_options(CLI::App& command, TargetSelection& selection) {
    const auto* group = "Fleet (docs/fleets.md)";
    command
        .add_flag(
            "--all-targets", [&selection](std::int64_t) { selection.all = AllTargets::On; },
            "Run on every target of the config's targets: and targets_from:")
        ->group(group);
    command.add_option("--target", selection.names, "Run on the named target (repeatable)")
        ->type_name("NAME")
        ->allow_extra_args(false)
        ->group(group);
    command.add_option("-j,--jobs", selection.jobs, "With targets: how many run at once (default 1)")
        ->type_name("N")
        ->group(group);
    command
        .add_flag(
            "--fail-fast", [&selection](std::int64_t) { selection.fail_fast = FailFast::On; },
            "With targets: start no other target once one has failed")
        ->group(group);
}

void check_fleet_output(const TargetSelection& selection, bool prints_sql) {
    if (selection.any() && prints_sql) {
        throw Error(
            "--sql and --dry-run print one database's SQL; they cannot be combined with --all-targets "
            "or --target",
            ExitCode::Usage);
    }
}

ExitCode run_on_targets(Workspace& workspace, const TargetSelection& selection, const std::string& command,
                        render::OutputFormat format, const TargetAction& action) {
    if (!selection.any()) {
        if (selection.jobs || selection.fail_fast == FailFast::On) {
            throw Error("-j and --fail-fast apply to targets: add --all-targets or --target NAME",
                        ExitCode::Usage);
        }
        return action(workspace);
    }
    auto& global = workspace.options();
    if (selection.all == AllTargets::On && !selection.names.empty())
        throw Error("--all-targets and --target cannot be combined", ExitCode::Usage);
    if (global.url) {
        throw Error("--url names one database; it cannot be combined with --all-targets or --target",
                    ExitCode::Usage);
    }
    const auto jobs = selection.jobs.value_or(1);
    if (jobs == 0) throw Error("-j must be at least 1", ExitCode::Usage);

    // Everything that can be wrong with the config, the targets or the scripts fails here, before any
    // target is touched.
    const auto& base = workspace.config();
    const auto targets = config::list_targets(base, config::read_target_source).value_or_throw();
    if (targets.empty()) {
        throw Error(fmt::format("{}: no targets: add 'targets:' or 'targets_from:' (docs/fleets.md)",
                                base.config_file.string()));
    }
    const auto chosen = choose(targets, selection, base);
    std::vector<config::Config> configs;
    std::vector<render::TargetOutcome> outcomes;
    std::vector<std::unique_ptr<util::Interruption>> interruptions;
    configs.reserve(chosen.size());
    outcomes.reserve(chosen.size());
    interruptions.reserve(chosen.size());
    const auto env = config::process_environment();
    for (const auto* target : chosen) {
        configs.push_back(config::config_for_target(base, *target, env).value_or_throw());
        render::TargetOutcome outcome;
        outcome.name = target->name;
        outcome.url = config::parse_database_url(configs.back().database_url).value_or_throw().redacted();
        outcomes.push_back(std::move(outcome));
        interruptions.push_back(std::make_unique<util::Interruption>());
    }
    static_cast<void>(workspace.revisions());

    const auto began = std::chrono::steady_clock::now();
    render::FleetProgress progress(std::cerr, global.progress, outcomes, global.terminal_width);
    const auto forwarded = log::enabled(log::Level::Debug) ? log::Level::Debug : log::Level::Warning;
    Fleet fleet{workspace, configs, outcomes,  interruptions,
                progress,  action,  forwarded, selection.fail_fast};
    {
        // A signal stops every running target between statements; the others do not start.
        std::optional<util::Interruption::CancelScope> forward;
        if (global.interruption != nullptr) {
            forward.emplace(*global.interruption, [&fleet, signal = global.interruption] {
                for (const auto& target : fleet.interruptions) {
                    static_cast<void>(target->request(signal->signal_number()));
                }
            });
        }
        std::vector<std::jthread> threads;
        const auto count = std::min(jobs, outcomes.size());
        threads.reserve(count);
        for (std::size_t i = 0; i < count; ++i) {
            threads.emplace_back([&fleet, signal = global.interruption] { work(fleet, signal); });
        }
    }
    progress.finish();
    const auto duration_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - began)
            .count();

    if (format == render::OutputFormat::Json) {
        render::print_fleet_json(workspace.out(), command, outcomes, duration_ms);
    } else {
        render::print_fleet_text(workspace.out(), outcomes);
    }
    render::log_fleet_summary(command, outcomes, duration_ms);
    // The last line on stderr says so; in JSON the document already holds each target's state.
    if (global.interruption != nullptr && global.interruption->requested()) {
        throw util::Interrupted(
            "interrupted: the targets that were running stopped between statements and the "
            "others did not start; each target's version table says where it is",
            global.interruption->exit_code(),
            format == render::OutputFormat::Json ? util::ResultWritten::Yes : util::ResultWritten::No);
    }
    const auto any = [&](render::TargetState state) {
        return std::any_of(outcomes.begin(), outcomes.end(),
                           [state](const render::TargetOutcome& outcome) { return outcome.state == state; });
    };
    if (any(render::TargetState::Failed) || any(render::TargetState::NotRun)) return ExitCode::Error;
    if (any(render::TargetState::NotUpToDate)) return ExitCode::NotUpToDate;
    return ExitCode::Ok;
}

}  // namespace migrator::command
