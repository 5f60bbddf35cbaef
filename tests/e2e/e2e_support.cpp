#include "e2e_support.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace e2e {

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

fs::path make_temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "migrator-e2e-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return pattern;
}

}  // namespace

Project::Project() : dir_(make_temp_dir()) {}

Project::~Project() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

RunResult Project::run(const std::vector<std::string>& args, const std::map<std::string, std::string>& env) const {
    std::vector<std::string> argv_storage{MIGRATOR_BINARY};
    argv_storage.insert(argv_storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& arg : argv_storage) argv.push_back(arg.data());
    argv.push_back(nullptr);

    // The child sees the parent's environment minus anything that would change what it connects to.
    std::map<std::string, std::string> environment;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string item(*entry);
        const auto eq = item.find('=');
        if (eq != std::string::npos) environment[item.substr(0, eq)] = item.substr(eq + 1);
    }
    environment.erase("DATABASE_URL");
    environment.erase("MIGRATOR_CONFIG");
    for (const auto& [key, value] : env) environment[key] = value;
    std::vector<std::string> env_storage;
    for (const auto& [key, value] : environment) env_storage.push_back(key + "=" + value);
    std::vector<char*> envp;
    for (auto& item : env_storage) envp.push_back(item.data());
    envp.push_back(nullptr);

    const auto out_path = dir_ / ".stdout";
    const auto err_path = dir_ / ".stderr";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addchdir_np(&actions, dir_.c_str());
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    const int spawn_error = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (spawn_error != 0) throw std::runtime_error("cannot start " + argv_storage[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) throw std::runtime_error("waitpid failed");
    }
    RunResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = slurp(out_path);
    result.err = slurp(err_path);
    fs::remove(out_path);
    fs::remove(err_path);
    return result;
}

void Project::write(const fs::path& relative, const std::string& text) const {
    const auto path = dir_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream file(path, std::ios::binary);
    file << text;
}

std::string Project::read(const fs::path& relative) const { return slurp(dir_ / relative); }

void Project::init() const {
    const auto result = run({"init", "migrations"});
    if (result.exit_code != 0) throw std::runtime_error("init failed: " + result.err);
}

void Project::add_script(const std::string& file_name, const std::string& revision, const std::string& down_revision,
                         const std::string& upgrade_sql, const std::string& downgrade_sql,
                         const std::string& extra_header) const {
    std::ostringstream text;
    text << "-- message: " << file_name << "\n"
         << "-- revision: " << revision << "\n"
         << "-- down_revision: " << down_revision << "\n"
         << extra_header << "\n-- migrate:upgrade\n"
         << upgrade_sql << "\n\n-- migrate:downgrade\n"
         << downgrade_sql << "\n";
    write(fs::path("migrations/versions") / (file_name + ".sql"), text.str());
}

std::vector<std::string> Project::query(const std::string& sql, const std::string& db) const {
    sqlite3* handle = nullptr;
    const auto path = (dir_ / db).string();
    if (sqlite3_open_v2(path.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close(handle);
        throw std::runtime_error("cannot open " + path);
    }
    std::vector<std::string> rows;
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
        const std::string message = sqlite3_errmsg(handle);
        sqlite3_close(handle);
        throw std::runtime_error("query failed: " + message);
    }
    while (sqlite3_step(statement) == SQLITE_ROW) {
        std::string row;
        for (int column = 0; column < sqlite3_column_count(statement); ++column) {
            if (column > 0) row += '|';
            const auto* text = sqlite3_column_text(statement, column);
            row += text != nullptr ? reinterpret_cast<const char*>(text) : "NULL";
        }
        rows.push_back(row);
    }
    sqlite3_finalize(statement);
    sqlite3_close(handle);
    return rows;
}

void Project::execute(const std::string& sql, const std::string& db) const {
    sqlite3* handle = nullptr;
    const auto path = (dir_ / db).string();
    char* message = nullptr;
    const bool ok = sqlite3_open(path.c_str(), &handle) == SQLITE_OK &&
                    sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, &message) == SQLITE_OK;
    const std::string error = message != nullptr ? message : "";
    sqlite3_free(message);
    sqlite3_close(handle);
    if (!ok) throw std::runtime_error("execute failed: " + error);
}

std::vector<std::string> Project::versions(const std::string& table) const {
    return query("SELECT version_num FROM " + table + " ORDER BY version_num");
}

std::vector<std::string> Project::tables(const std::string& db) const {
    return query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
                 db);
}

fs::path generated_path(const RunResult& result) {
    static const std::regex pattern(R"(Generating (\S+\.sql) \.\.\. done)");
    std::smatch match;
    if (!std::regex_search(result.out, match, pattern)) {
        throw std::runtime_error("no 'Generating' line in: " + result.out + result.err);
    }
    return match[1].str();
}

std::string generated_revision(const RunResult& result) {
    const auto name = generated_path(result).filename().string();
    const auto first = name.find('_');
    const auto second = name.find('_', first + 1);
    return name.substr(first + 1, second - first - 1);
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> result;
    std::istringstream stream(text);
    for (std::string line; std::getline(stream, line);) result.push_back(line);
    return result;
}

}  // namespace e2e

namespace e2e {

void fill_script(const Project& project, const std::filesystem::path& script, const std::string& upgrade_sql,
                 const std::string& downgrade_sql) {
    const auto relative = script.is_absolute() ? script.lexically_relative(project.dir()) : script;
    auto text = project.read(relative);
    const auto replace_line = [&text](const std::string& prefix, const std::string& replacement) {
        const auto start = text.find(prefix);
        if (start == std::string::npos) throw std::runtime_error("no '" + prefix + "' in script");
        const auto end = text.find('\n', start);
        text.replace(start, end - start, replacement);
    };
    replace_line("-- write the upgrade SQL here", upgrade_sql);
    replace_line("-- write the downgrade SQL here", downgrade_sql);
    project.write(relative, text);
}

std::string new_revision(const Project& project, const std::vector<std::string>& args, const std::string& upgrade_sql,
                         const std::string& downgrade_sql) {
    std::vector<std::string> full{"revision"};
    full.insert(full.end(), args.begin(), args.end());
    const auto result = project.run(full);
    if (result.exit_code != 0) throw std::runtime_error("revision failed: " + result.err);
    fill_script(project, generated_path(result), upgrade_sql, downgrade_sql);
    return generated_revision(result);
}

}  // namespace e2e
