#include "e2e_support.hpp"
#include "database_client.hpp"
#include "run_program.hpp"

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <utility>

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

// A started program whose output goes to files in its directory.
struct Spawned {
    pid_t pid = 0;
    fs::path out_path;
    fs::path err_path;
};

// Starts a program in `dir` with the parent's environment minus anything that would change what
// migrator connects to, plus `env`; `tag` keeps the output files of concurrent runs apart.
Spawned spawn_process(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                      const fs::path& dir, const std::string& tag) {
    std::vector<std::string> argv_storage = args;
    std::vector<char*> argv;
    argv.reserve(argv_storage.size() + 1);
    for (auto& arg : argv_storage) argv.push_back(arg.data());
    argv.push_back(nullptr);

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
    env_storage.reserve(environment.size());
    for (const auto& [key, value] : environment) {
        std::string item = key;
        item += '=';
        item += value;
        env_storage.push_back(std::move(item));
    }
    std::vector<char*> envp;
    envp.reserve(env_storage.size() + 1);
    for (auto& item : env_storage) envp.push_back(item.data());
    envp.push_back(nullptr);

    Spawned spawned{0, dir / (".stdout" + tag), dir / (".stderr" + tag)};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, spawned.out_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, spawned.err_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int spawn_error = posix_spawnp(&spawned.pid, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    if (spawn_error != 0) throw std::runtime_error("cannot start " + argv_storage[0]);
    return spawned;
}

RunResult wait_for(const Spawned& spawned) {
    int status = 0;
    while (waitpid(spawned.pid, &status, 0) < 0) {
        if (errno != EINTR) throw std::runtime_error("waitpid failed");
    }
    RunResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = slurp(spawned.out_path);
    result.err = slurp(spawned.err_path);
    fs::remove(spawned.out_path);
    fs::remove(spawned.err_path);
    return result;
}

RunResult run_process(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                      const fs::path& dir) {
    return wait_for(spawn_process(args, env, dir, ""));
}

// The parts of scheme://user:password@host:port/database that the server CLIs take apart.
struct ServerUrl {
    std::string prefix;  // everything before the database name
    std::string user;
    std::string password;
    std::string host;
    std::string port;
    std::string database;
};

std::string percent_decoded(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

ServerUrl parse_server_url(const std::string& url) {
    const auto fail = [] {
        return std::runtime_error("test server URL must look like scheme://user:password@host:port/database");
    };
    const auto authority = url.find("://");
    if (authority == std::string::npos) throw fail();
    const auto at = url.find('@', authority + 3);
    const auto slash = url.find('/', at == std::string::npos ? authority + 3 : at);
    if (at == std::string::npos || slash == std::string::npos || url.find('?') != std::string::npos)
        throw fail();
    ServerUrl parts;
    parts.prefix = url.substr(0, slash + 1);
    const auto credentials = url.substr(authority + 3, at - authority - 3);
    const auto colon = credentials.find(':');
    parts.user = percent_decoded(credentials.substr(0, colon));
    if (colon != std::string::npos) parts.password = percent_decoded(credentials.substr(colon + 1));
    const auto host_port = url.substr(at + 1, slash - at - 1);
    const auto port_colon = host_port.find(':');
    parts.host = host_port.substr(0, port_colon);
    if (port_colon != std::string::npos) parts.port = host_port.substr(port_colon + 1);
    parts.database = url.substr(slash + 1);
    return parts;
}

std::string random_database_name() {
    static const char digits[] = "0123456789abcdef";
    std::random_device device;
    std::string name = "migrator_e2e_";
    for (int i = 0; i < 12; ++i) name += digits[device() % 16];
    return name;
}

}  // namespace

std::string backend_name(Backend backend) {
    switch (backend) {
        case Backend::Sqlite:
            return "sqlite";
        case Backend::Postgresql:
            return "postgresql";
        case Backend::Mysql:
            return "mysql";
    }
    return "unknown";
}

std::string server_url_variable(Backend backend) {
    return backend == Backend::Postgresql ? "MIGRATOR_TEST_POSTGRESQL_URL"
           : backend == Backend::Mysql    ? "MIGRATOR_TEST_MYSQL_URL"
                                          : "";
}

std::optional<std::string> server_url(Backend backend) {
    if (backend == Backend::Sqlite) return std::nullopt;
    const char* value = std::getenv(server_url_variable(backend).c_str());
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
}

std::vector<std::string> galera_urls() {
    const char* value = std::getenv("MIGRATOR_TEST_GALERA_URLS");
    std::istringstream words(value == nullptr ? "" : value);
    std::vector<std::string> urls;
    for (std::string url; words >> url;) urls.push_back(url);
    return urls;
}

bool mysql_server_is_galera_node() {
    const auto server = server_url(Backend::Mysql);
    const auto nodes = galera_urls();
    return server && std::find(nodes.begin(), nodes.end(), *server) != nodes.end();
}

Project::Project() : dir_(make_temp_dir()) {}

Project::Project(Backend backend) : dir_(make_temp_dir()), backend_(backend) {
    if (backend == Backend::Sqlite) return;
    const auto admin = server_url(backend);
    if (!admin) {
        fs::remove_all(dir_);
        throw std::runtime_error(server_url_variable(backend) + " is not set");
    }
    server_admin_url_ = *admin;
    database_ = random_database_name();
    try {
        server_query(server_admin_url_, "CREATE DATABASE " + database_);
    } catch (...) {
        fs::remove_all(dir_);
        throw;
    }
    url_ = parse_server_url(server_admin_url_).prefix + database_;
}

Project::~Project() {
    if (!database_.empty()) {
        try {
            server_query(server_admin_url_, backend_ == Backend::Postgresql
                                                ? "DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)"
                                                : "DROP DATABASE IF EXISTS " + database_);
        } catch (const std::exception&) {
            // A database left behind disappears with the server's data directory.
        }
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
}

void Project::run_in_session(const std::vector<std::string>& statements) const {
    if (backend_ == Backend::Sqlite) throw std::logic_error("run_in_session needs a server backend");
    const auto parts = parse_server_url(url_);
    RunResult result;
    if (backend_ == Backend::Postgresql) {
        std::vector<std::string> argv{"psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url_};
        for (const auto& statement : statements) argv.insert(argv.end(), {"-c", statement});
        result = run_process(argv, {}, dir_);
    } else {
        // The client's `\!` takes the rest of its line, so every statement gets a line of its own.
        std::string script;
        for (const auto& statement : statements) script += statement + "\n";
        std::vector<std::string> argv{"mariadb", "--no-defaults", "-N", "-B",
                                      "-h",      parts.host,      "-u", parts.user};
        if (!parts.port.empty()) argv.insert(argv.end(), {"-P", parts.port});
        argv.insert(argv.end(), {"-D", parts.database, "-e", script});
        result = run_process(argv, {{"MYSQL_PWD", parts.password}}, dir_);
    }
    if (result.exit_code != 0)
        throw std::runtime_error(backend_name(backend_) + " session failed: " + result.err);
}

RunResult run_client(const Project& project, const std::string& program,
                     const std::vector<std::string>& args) {
    std::vector<std::string> argv{program};
    std::map<std::string, std::string> env;
    if (project.backend() == Backend::Sqlite) {
        argv.insert(argv.end(), args.begin(), args.end());
    } else if (project.backend() == Backend::Postgresql) {
        argv.insert(argv.end(), {"-X", "-d", project.url()});
        if (program == "pg_dump") argv.erase(argv.begin() + 1);  // pg_dump has no -X
        argv.insert(argv.end(), args.begin(), args.end());
    } else {
        const auto parts = parse_server_url(project.url());
        argv.insert(argv.end(), {"--no-defaults", "-h", parts.host, "-u", parts.user});
        if (!parts.port.empty()) argv.insert(argv.end(), {"-P", parts.port});
        if (program != "mysqldump") argv.insert(argv.end(), {"-D", parts.database});
        argv.insert(argv.end(), args.begin(), args.end());
        if (program == "mysqldump") argv.push_back(parts.database);
        env["MYSQL_PWD"] = parts.password;
    }
    return run_process(argv, env, project.dir());
}

std::vector<std::string> Project::server_query(const std::string& url, const std::string& sql) const {
    const auto parts = parse_server_url(url);
    RunResult result;
    if (backend_ == Backend::Postgresql) {
        result = run_process({"psql", "-X", "-q", "-A", "-t", "-F", "|", "-P", "null=NULL", "-v",
                              "ON_ERROR_STOP=1", "-d", url, "-c", sql},
                             {}, dir_);
    } else {
        std::vector<std::string> argv{"mariadb", "--no-defaults", "-N", "-B",
                                      "-h",      parts.host,      "-u", parts.user};
        if (!parts.port.empty()) argv.insert(argv.end(), {"-P", parts.port});
        if (!parts.database.empty()) argv.insert(argv.end(), {"-D", parts.database});
        argv.insert(argv.end(), {"-e", sql});
        result = run_process(argv, {{"MYSQL_PWD", parts.password}}, dir_);
    }
    if (result.exit_code != 0)
        throw std::runtime_error(backend_name(backend_) + " query failed: " + result.err);
    std::vector<std::string> rows;
    for (auto row : lines(result.out)) {
        std::replace(row.begin(), row.end(), '\t', '|');
        rows.push_back(row);
    }
    return rows;
}

RunResult Project::run(const std::vector<std::string>& args,
                       const std::map<std::string, std::string>& env) const {
    std::vector<std::string> argv{MIGRATOR_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, env, dir_);
}

RunResult run_program(const std::string& program, const std::vector<std::string>& args,
                      const std::map<std::string, std::string>& env, const std::filesystem::path& dir) {
    std::vector<std::string> argv{program};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, env, dir);
}

RunResult Project::run_on_terminal(const std::vector<std::string>& args,
                                   const std::map<std::string, std::string>& env) const {
    const int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0)
        throw std::runtime_error("cannot open a pseudo-terminal");
    const std::string terminal = ptsname(master);
    std::vector<std::string> argv{"/bin/sh", "-c", "exec \"$0\" \"$@\" 2<>\"$TERMINAL_PATH\"",
                                  MIGRATOR_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    auto environment = env;
    environment["TERMINAL_PATH"] = terminal;
    if (!environment.contains("TERM")) environment["TERM"] = "xterm";
    // The output of one command fits the terminal's buffer, so it is read once the child has exited.
    auto result = run_process(argv, environment, dir_);
    result.err.clear();
    std::array<char, 4096> buffer{};
    for (;;) {
        pollfd ready{master, POLLIN, 0};
        if (poll(&ready, 1, 0) <= 0) break;
        const auto got = ::read(master, buffer.data(), buffer.size());
        if (got <= 0) break;
        result.err.append(buffer.data(), static_cast<std::size_t>(got));
    }
    close(master);
    return result;
}

std::vector<RunResult> Project::run_concurrently(
    const std::vector<std::vector<std::string>>& commands) const {
    std::vector<Spawned> started;
    for (const auto& args : commands) {
        std::vector<std::string> argv{MIGRATOR_BINARY};
        argv.insert(argv.end(), args.begin(), args.end());
        started.push_back(spawn_process(argv, {}, dir_, std::to_string(started.size())));
    }
    std::vector<RunResult> results;
    results.reserve(started.size());
    for (const auto& spawned : started) results.push_back(wait_for(spawned));
    return results;
}

void Project::write(const fs::path& relative, const std::string& text) const {
    const auto path = dir_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream file(path, std::ios::binary);
    file << text;
}

std::string Project::read(const fs::path& relative) const {
    return slurp(dir_ / relative);
}

void Project::init() const {
    const auto result = run({"init", "migrations"});
    if (result.exit_code != 0) throw std::runtime_error("init failed: " + result.err);
    if (backend_ == Backend::Sqlite) return;
    auto config = read("migrator.yaml");
    const std::string sqlite_url = "sqlite:///app.db";
    const auto at = config.find(sqlite_url);
    if (at == std::string::npos)
        throw std::runtime_error("migrator.yaml from init names no sqlite:///app.db");
    write("migrator.yaml", config.replace(at, sqlite_url.size(), url_));
}

void Project::add_script(const std::string& file_name, const std::string& revision,
                         const std::string& down_revision, const std::string& upgrade_sql,
                         const std::string& downgrade_sql, const std::string& extra_header) const {
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
    if (backend_ != Backend::Sqlite) return server_query(url_, sql);
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
    if (backend_ != Backend::Sqlite) {
        server_query(url_, sql);
        return;
    }
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
    std::vector<std::string> names;
    switch (backend_) {
        case Backend::Postgresql:
            names = query(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename");
            break;
        case Backend::Mysql:
            names = query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
                "ORDER BY table_name");
            break;
        case Backend::Sqlite:
            names = query(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY "
                "name",
                db);
            break;
    }
    std::erase(names, std::string("migrator_history"));
    std::erase(names, std::string("migrator_lock"));  // the lock on a Galera cluster (docs/galera.md)
    return names;
}

std::vector<std::string> Project::columns(const std::string& table) const {
    switch (backend_) {
        case Backend::Postgresql:
            return query(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = '" +
                table + "' ORDER BY ordinal_position");
        case Backend::Mysql:
            return query(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() "
                "AND table_name = '" +
                table + "' ORDER BY ordinal_position");
        case Backend::Sqlite:
            break;
    }
    return query("SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid");
}

// No std::regex: GCC 12 at -O2 with sanitizers reports a false maybe-uninitialized inside it.
fs::path generated_path(const RunResult& result) {
    const std::string prefix = "Generating ";
    for (auto at = result.out.find(prefix); at != std::string::npos; at = result.out.find(prefix, at + 1)) {
        const auto start = at + prefix.size();
        const auto end = result.out.find_first_of(" \t\n", start);
        if (end == std::string::npos) break;
        const auto path = result.out.substr(start, end - start);
        if (path.size() > 4 && path.ends_with(".sql") && result.out.compare(end, 9, " ... done") == 0)
            return path;
    }
    throw std::runtime_error("no 'Generating' line in: " + result.out + result.err);
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

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

void require_clean_check(const Project& project, const std::string& when) {
    INFO("check " << when);
    const auto check = project.run({"check"});
    INFO(check.out << check.err);
    REQUIRE(check.exit_code == 0);
    CHECK(lines(check.out) == std::vector<std::string>{"No new upgrade operations detected."});
}

UnreadObject unread_object(Backend backend) {
    switch (backend) {
        case Backend::Sqlite:
            return {"CREATE TABLE doubled (a INTEGER, b INTEGER, UNIQUE (b DESC));", "index sort order",
                    "doubled.sqlite_autoindex_doubled_1"};
        case Backend::Postgresql:
            return {"CREATE TABLE doubled (a integer, CONSTRAINT doubled_pkey PRIMARY KEY (a) DEFERRABLE);",
                    "deferrable constraint", "doubled.doubled_pkey"};
        case Backend::Mysql:
            return {"CREATE TABLE doubled (a INT NOT NULL, PRIMARY KEY (a DESC));", "index sort order",
                    "doubled.PRIMARY"};
    }
    return {};
}

std::vector<std::string> sorted(std::vector<std::string> rows) {
    std::sort(rows.begin(), rows.end());
    return rows;
}

void expect_one_line_error(const RunResult& result, const std::string& names) {
    INFO("stderr: " << result.err);
    CHECK(result.exit_code != 0);
    const auto error_lines = lines(result.err);
    REQUIRE(error_lines.size() == 1);
    CHECK(error_lines.front().rfind("error: ", 0) == 0);
    CHECK(error_lines.front().find(names) != std::string::npos);
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

std::string new_revision(const Project& project, const std::vector<std::string>& args,
                         const std::string& upgrade_sql, const std::string& downgrade_sql) {
    std::vector<std::string> full{"revision"};
    full.insert(full.end(), args.begin(), args.end());
    const auto result = project.run(full);
    if (result.exit_code != 0) throw std::runtime_error("revision failed: " + result.err);
    fill_script(project, generated_path(result), upgrade_sql, downgrade_sql);
    return generated_revision(result);
}

}  // namespace e2e
