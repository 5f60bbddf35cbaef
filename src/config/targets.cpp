#include "config/targets.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>

#include "config/database_url.hpp"
#include "util/strings.hpp"

namespace migrator::config {

namespace {

bool is_space(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

std::vector<std::string_view> words(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && is_space(line[i])) ++i;
        const auto start = i;
        while (i < line.size() && !is_space(line[i])) ++i;
        if (i > start) out.push_back(line.substr(start, i - start));
    }
    return out;
}

// A listed URL is taken literally: its '$' must survive the ${VAR} expansion of config_for_target.
std::string literal(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        if (c == '$') out += '$';
        out += c;
    }
    return out;
}

// The child's half of running a command: stdout into the pipe, signals as a shell expects them.
[[noreturn]] void exec_command(const TargetSource& source, int write_end) {
    sigset_t none;
    sigemptyset(&none);
    pthread_sigmask(SIG_SETMASK, &none, nullptr);  // migrator blocks signals for its watcher thread
    if (dup2(write_end, STDOUT_FILENO) < 0 || chdir(source.directory.c_str()) != 0) _exit(127);
    execl("/bin/sh", "sh", "-c", source.value.c_str(), static_cast<char*>(nullptr));
    _exit(127);
}

// By hand (fork, exec, a pipe): one command's stdout is all that is needed, and the child must get back
// the signals migrator blocks; no Debian library does only that.
Expected<std::string> run_command(const TargetSource& source) {
    const auto failed = [&](const std::string& why) {
        return fail(source.where + ": command '" + source.value + "' " + why);
    };
    std::array<int, 2> pipe_ends{};
    if (pipe2(pipe_ends.data(), O_CLOEXEC) != 0)
        return failed(std::string("cannot start: ") + std::strerror(errno));
    const pid_t child = fork();
    if (child < 0) {
        close(pipe_ends[0]);
        close(pipe_ends[1]);
        return failed(std::string("cannot start: ") + std::strerror(errno));
    }
    if (child == 0) exec_command(source, pipe_ends[1]);
    close(pipe_ends[1]);
    std::string output;
    std::array<char, 4096> buffer{};
    for (;;) {
        const auto got = read(pipe_ends[0], buffer.data(), buffer.size());
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        output.append(buffer.data(), static_cast<std::size_t>(got));
    }
    close(pipe_ends[0]);
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return output;
    if (WIFEXITED(status)) return failed("failed with exit status " + std::to_string(WEXITSTATUS(status)));
    return failed("was killed by signal " + std::to_string(WTERMSIG(status)));
}

}  // namespace

bool is_target_name(std::string_view name) {
    if (name.empty()) return false;
    for (const char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= ' ' || byte == 0x7f) return false;
    }
    return true;
}

Expected<std::vector<TargetSpec>> parse_target_list(std::string_view text, std::string_view source_name) {
    std::vector<TargetSpec> targets;
    std::size_t line_number = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string_view::npos) end = text.size();
        const auto line = text.substr(start, end - start);
        start = end + 1;
        ++line_number;
        const auto where = std::string(source_name) + ":" + std::to_string(line_number);
        const auto fields = words(line);
        if (fields.empty() || fields.front().starts_with('#')) continue;
        if (line.find('\0') != std::string_view::npos) return fail(where + ": contains a NUL byte");
        if (fields.size() > 3) {
            return fail(where + ": expected 'URL', 'NAME URL' or 'NAME URL VERSION_TABLE_SCHEMA', found " +
                        std::to_string(fields.size()) + " fields");
        }
        TargetSpec spec;
        spec.where = where;
        const auto url_text = fields.size() == 1 ? fields[0] : fields[1];
        spec.url = literal(url_text);
        if (fields.size() == 1) {
            const auto url = parse_database_url(url_text);
            if (!url) return fail(where + ": " + url.error().message);
            spec.name = url->redacted();
        } else {
            spec.name = std::string(fields[0]);
            if (!is_target_name(spec.name)) return fail(where + ": the target name has a control character");
        }
        if (fields.size() == 3) spec.version_table_schema = std::string(fields[2]);
        targets.push_back(std::move(spec));
    }
    return targets;
}

Expected<std::string> read_target_source(const TargetSource& source) {
    if (source.kind == TargetSourceKind::Command) return run_command(source);
    std::ifstream in(source.value, std::ios::binary);
    if (!in) return fail(source.where + ": cannot read '" + source.value + "': " + std::strerror(errno));
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

Expected<std::vector<TargetSpec>> list_targets(const Config& config, const TargetSourceReader& read) {
    auto targets = config.targets;
    if (config.targets_from) {
        const auto& source = *config.targets_from;
        auto text = read(source);
        if (!text) return text.error();
        const auto name =
            source.kind == TargetSourceKind::File ? source.value : "output of '" + source.value + "'";
        auto listed = parse_target_list(*text, name);
        if (!listed) return listed.error();
        for (auto& target : *listed) targets.push_back(std::move(target));
    }
    std::map<std::string_view, const TargetSpec*> seen;
    for (const auto& target : targets) {
        const auto [found, inserted] = seen.emplace(target.name, &target);
        if (!inserted) {
            return fail(target.where + ": target '" + target.name + "' is already defined at " +
                        found->second->where);
        }
    }
    return targets;
}

Expected<Config> config_for_target(const Config& base, const TargetSpec& target, const EnvLookup& env) {
    const auto where = target.where + ": target '" + target.name + "': ";
    auto url = interpolate(target.url, env);
    if (!url) return fail(where + url.error().message);
    auto trimmed = std::string(util::trim(*url));
    if (trimmed.empty()) return fail(where + "the URL is empty");
    auto parsed = parse_database_url(trimmed);
    if (!parsed) return fail(where + parsed.error().message);
    Config config = base;
    config.database_url = std::move(trimmed);
    config.database_url_base = base.targets_base;
    if (target.version_table_schema) config.version_table_schema = *target.version_table_schema;
    config.targets.clear();
    config.targets_from.reset();
    return config;
}

}  // namespace migrator::config
