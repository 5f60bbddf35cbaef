#include "command/edit.hpp"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <cstdlib>

#include "command/show.hpp"

namespace migrator::command {

namespace {

std::string editor_command() {
    for (const char* name : {"VISUAL", "EDITOR"}) {
        const char* value = std::getenv(name);
        if (value != nullptr && *value != '\0') return value;
    }
    return "vi";
}

// The editor runs through the shell so that EDITOR="code --wait" works, while the path is
// passed as "$1" and never interpolated into the command text.
int run_editor(const std::string& editor, const std::string& path) {
    const pid_t pid = fork();
    if (pid < 0) throw Error("cannot start the editor: fork failed");
    if (pid == 0) {
        const std::string script = editor + " \"$1\"";
        execl("/bin/sh", "sh", "-c", script.c_str(), "sh", path.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) throw Error("cannot wait for the editor");
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

}  // namespace

CommandAction setup_edit(CLI::App& root, Workspace& workspace) {
    auto options = std::make_shared<EditOptions>();
    auto* command = root.add_subcommand("edit", "Open a revision's script in $VISUAL or $EDITOR");
    command
        ->add_option("revision", options->revision,
                     "A revision id, partial id, branch label, head or current")
        ->required();
    return [options, &workspace] {
        run_edit(workspace, *options);
        return ExitCode::Ok;
    };
}

void run_edit(Workspace& workspace, const EditOptions& options) {
    const auto found = resolve_for_show(workspace, options.revision);
    if (found.size() > 1) {
        throw Error(fmt::format("'{}' names {} revisions; edit takes one", options.revision, found.size()));
    }
    const std::string path(found.front()->path());
    const auto editor = editor_command();
    if (const int status = run_editor(editor, path); status != 0) {
        throw Error(fmt::format("editor '{}' exited with status {} for {}", editor, status, path));
    }
}

}  // namespace migrator::command
