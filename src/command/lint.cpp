#include "command/lint.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>

#include "runtime/planner.hpp"
#include "script/script_loader.hpp"
#include "util/strings.hpp"

namespace migrator::command {

namespace {

std::string lowercase(std::string text) {
    for (auto& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// Paths as the user would type them from here, so that annotations land on the pull request's files.
std::string shown_path(const std::string& path) {
    std::error_code error;
    const auto here = std::filesystem::current_path(error);
    if (error) return path;
    const auto relative = std::filesystem::path(path).lexically_proximate(here);
    return relative.string().starts_with("..") ? path : relative.string();
}

std::vector<lint::Finding> lint_text(Workspace& workspace, const std::string& path,
                                     const std::string& revision, const lint::Settings& settings) {
    auto text = script::disk_script_files().read_path(path);
    if (!text) throw Error(text.error().message);
    auto script = script::parse_sql_bodies(*text, shown_path(path), revision).value_or_throw();
    return lint::lint_script(script, workspace.dialect().kind(), settings).value_or_throw();
}

lint::Settings settings_of(Workspace& workspace) {
    return lint::Settings::from_config(workspace.config().lint).value_or_throw();
}

// The revisions to check, oldest first.
std::vector<const script::Revision*> chosen_revisions(Workspace& workspace, const LintOptions& options) {
    const auto& revisions = workspace.revisions();
    std::vector<const script::Revision*> chosen;
    if (!options.revisions.empty()) {
        chosen.reserve(options.revisions.size());
        for (const auto& identifier : options.revisions) chosen.push_back(&revisions.resolve(identifier));
        return chosen;
    }
    if (options.range) {
        const bool needs_current = options.range->find("current") != std::string::npos;
        chosen = revisions.history(
            *options.range, needs_current ? read_current_heads(workspace) : std::vector<std::string>{});
        std::reverse(chosen.begin(), chosen.end());
        return chosen;
    }
    if (options.scope == LintScope::All) {
        chosen.reserve(revisions.size());
        for (const auto& revision : revisions.revisions()) chosen.push_back(&revision);
        return chosen;
    }
    const auto plan = runtime::plan_upgrade(revisions, read_current_heads(workspace), "heads");
    for (const auto& step : plan.steps) {
        if (step.revision != nullptr) chosen.push_back(step.revision);
    }
    return chosen;
}

}  // namespace

CommandAction setup_lint(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<LintOptions>();
    auto* command = root.add_subcommand(
        "lint",
        "Check scripts for risky SQL (data loss, long locks, irreversible changes): by default those not yet "
        "applied; exit 1 on an error-level finding");
    command->add_option("revisions", options->revisions, "Revisions to check (ids, prefixes, labels)");
    command->add_option("-r,--rev-range", options->range,
                        "A range of revisions to check, START:END as `history` takes it");
    command->add_flag(
        "--all", [options](std::int64_t) { options->scope = LintScope::All; }, "Check every script");
    command
        ->add_option_function<std::string>(
            "--format",
            [options, &workspace](const std::string& value) {
                const auto lower = lowercase(value);
                options->format = lower == "json"     ? LintFormat::Json
                                  : lower == "github" ? LintFormat::Github
                                                      : LintFormat::Text;
                workspace.options().format = options->format == LintFormat::Json ? render::OutputFormat::Json
                                                                                 : render::OutputFormat::Text;
            },
            "Output format: text (default), json, or github (workflow annotations on the pull request)")
        ->type_name("text|json|github")
        ->check(CLI::Validator(
            [](std::string& value) {
                const auto lower = lowercase(value);
                if (lower == "text" || lower == "json" || lower == "github") return std::string();
                return fmt::format("must be text, json or github, not '{}'", util::printable(value));
            },
            "", "format"));
    return [options, &workspace] {
        // A missing SQLite file has nothing applied: every script is pending, and no file is created.
        workspace.options().database_creation = DatabaseCreation::EmptyInMemory;
        const auto report = run_lint(workspace, *options);
        if (options->format == LintFormat::Json) {
            render::print_json(workspace.out(), report);
        } else if (options->format == LintFormat::Github) {
            render::print_github(workspace.out(), report);
        } else {
            render::print_text(workspace.out(), report);
        }
        const bool failed =
            std::any_of(report.findings.begin(), report.findings.end(),
                        [](const lint::Finding& f) { return f.severity == lint::Severity::Error; });
        return failed ? ExitCode::NotUpToDate : ExitCode::Ok;
    };
}

render::LintReport run_lint(Workspace& workspace, const LintOptions& options) {
    const int chosen_ways = (options.revisions.empty() ? 0 : 1) + (options.range ? 1 : 0) +
                            (options.scope == LintScope::All ? 1 : 0);
    if (chosen_ways > 1) {
        throw Error("lint takes revisions, -r START:END or --all, only one of them", ExitCode::Usage);
    }
    const auto settings = settings_of(workspace);
    render::LintReport report;
    for (const auto* revision : chosen_revisions(workspace, options)) {
        auto findings = lint_text(workspace, revision->path(), std::string(revision->id()), settings);
        report.findings.insert(report.findings.end(), std::make_move_iterator(findings.begin()),
                               std::make_move_iterator(findings.end()));
        ++report.scripts;
    }
    return report;
}

std::vector<lint::Finding> lint_file(Workspace& workspace, const std::filesystem::path& path,
                                     const std::string& revision) {
    return lint_text(workspace, path.string(), revision, settings_of(workspace));
}

}  // namespace migrator::command
