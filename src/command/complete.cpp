#include "migrator/command/complete.hpp"

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include <map>
#include <ostream>
#include <unordered_set>

namespace migrator::command {

namespace {

bool visible(const CLI::App& command) {
    return !command.get_group().empty();
}

std::vector<std::string> command_names(const CLI::App& root) {
    std::vector<std::string> names;
    for (const auto* command : root.get_subcommands({})) {
        if (visible(*command)) names.push_back(command->get_name());
    }
    return names;
}

enum class Taking { Any, Value };

void add_option_names(const CLI::App& command, Taking taking, std::vector<std::string>& names) {
    for (const auto* option : command.get_options()) {
        if (option->get_group().empty()) continue;
        if (taking == Taking::Value && option->get_expected_max() == 0) continue;
        for (const auto& name : option->get_lnames()) names.push_back("--" + name);
        for (const auto& name : option->get_snames()) names.push_back("-" + name);
    }
}

// A subcommand's options, then the global ones, each name once (both define --help).
std::vector<std::string> option_names(const CLI::App& root, const std::string& command_name, Taking taking) {
    std::vector<std::string> names;
    if (!command_name.empty()) {
        const auto* command = [&]() -> const CLI::App* {
            for (const auto* candidate : root.get_subcommands({})) {
                if (visible(*candidate) && candidate->get_name() == command_name) return candidate;
            }
            return nullptr;
        }();
        if (command == nullptr) {
            throw Error(fmt::format("__complete: no command '{}'", command_name), ExitCode::Usage);
        }
        add_option_names(*command, taking, names);
    }
    add_option_names(root, taking, names);
    std::unordered_set<std::string> seen;
    std::erase_if(names, [&seen](const std::string& name) { return !seen.insert(name).second; });
    return names;
}

}  // namespace

CommandAction setup_complete(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<CompleteOptions>();
    auto* command = root.add_subcommand("__complete", "The words shell completion offers");
    command->group("");  // hidden from --help
    auto list = std::make_shared<std::string>();
    command->add_option("list", *list, "What to list")
        ->required()
        ->check(CLI::IsMember({"commands", "options", "valued", "revisions"}));
    command->add_option("command", options->command, "The command whose options to list");
    return [options, list, &workspace, &root] {
        static const std::map<std::string, CompletionList> lists{{"commands", CompletionList::Commands},
                                                                 {"options", CompletionList::Options},
                                                                 {"valued", CompletionList::Valued},
                                                                 {"revisions", CompletionList::Revisions}};
        options->list = lists.at(*list);
        std::vector<std::string> words;
        switch (options->list) {
            case CompletionList::Commands:
                words = command_names(root);
                break;
            case CompletionList::Options:
                words = option_names(root, options->command, Taking::Any);
                break;
            case CompletionList::Valued:
                words = option_names(root, options->command, Taking::Value);
                break;
            case CompletionList::Revisions:
                words = run_complete_revisions(workspace);
                break;
        }
        for (const auto& word : words) workspace.out() << word << '\n';
        return ExitCode::Ok;
    };
}

std::vector<std::string> run_complete_revisions(Workspace& workspace) {
    const auto& revisions = workspace.revisions();
    std::vector<std::string> words{"head", "heads", "base"};
    std::vector<std::string> labels;
    for (const auto& revision : revisions.revisions()) {
        words.emplace_back(revision.id());
        for (const auto label : revision.branch_labels()) labels.emplace_back(label);
    }
    for (const auto& label : labels) {
        words.push_back(label);
        words.push_back(label + "@head");
    }
    return words;
}

}  // namespace migrator::command
