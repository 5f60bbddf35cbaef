#include "command/workspace.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <thread>

#include "db/connect_failure.hpp"
#include "runtime/lock.hpp"
#include "script/script_loader.hpp"
#include "util/error.hpp"
#include "util/log.hpp"
#include "util/redact.hpp"

namespace migrator::command {

Workspace::Workspace(std::ostream& out, ConnectionFactory connect)
    : out_(out), connect_(std::move(connect)), script_files_(&script::disk_script_files()) {}

Workspace::~Workspace() = default;

std::map<std::string, std::string> parse_x_arguments(const std::vector<std::string>& arguments) {
    std::map<std::string, std::string> values;
    for (const auto& argument : arguments) {
        const auto eq = argument.find('=');
        if (eq == std::string::npos || eq == 0) {
            throw Error(fmt::format("-x '{}' must have the form key=value", argument), ExitCode::Usage);
        }
        values[argument.substr(0, eq)] = argument.substr(eq + 1);
    }
    return values;
}

const config::Config& Workspace::config() {
    if (!config_) {
        config::Overrides overrides;
        overrides.url = options_.url;
        overrides.environment = options_.environment;
        overrides.x_arguments = parse_x_arguments(options_.x_arguments);
        config_ = config::load_config(options_.config_file, overrides, config::process_environment())
                      .value_or_throw();
    }
    return *config_;
}

void Workspace::set_config(config::Config config) {
    config_ = std::move(config);
    revisions_.reset();
    url_.reset();
}

const script::RevisionMap& Workspace::revisions() {
    if (!revisions_) {
        auto scripts =
            script::load_script_catalog(config().version_locations, *script_files_).value_or_throw();
        revisions_ = std::make_unique<script::RevisionMap>(script::RevisionMap::build(std::move(scripts)));
    }
    return *revisions_;
}

const config::DatabaseUrl& Workspace::database_url() {
    if (!url_) {
        const auto& raw = config().database_url;
        if (raw.empty()) {
            const auto& env_var = config().url_env_var;
            throw Error(fmt::format(
                "no database URL: set database.url in {}{}, or pass --url", config().config_file.string(),
                env_var.empty() ? "" : fmt::format(", the {} environment variable", env_var)));
        }
        url_ = config::parse_database_url(raw).value_or_throw();
        // docs/sqlite.md: a relative file in the config file resolves against the file's directory.
        const auto& base = config().database_url_base;
        if (url_->dialect == dialect::DialectKind::Sqlite && !base.empty() && url_->database != ":memory:" &&
            !url_->database.starts_with("file:") && std::filesystem::path(url_->database).is_relative())
            url_->database = (base / url_->database).lexically_normal().string();
    }
    return *url_;
}

const dialect::Dialect& Workspace::dialect() {
    return dialect::dialect_for(database_url().dialect);
}

namespace {

// libpq's and libmariadb's own default (in the connection code) is 10 s.
constexpr std::chrono::seconds default_connect_timeout{10};

// The URL for one connect attempt under --wait: the attempt may not outlast the wait, so its
// connect_timeout is cut to the time left (at least 1 s; libpq rounds it up to 2).
config::DatabaseUrl attempt_url(const config::DatabaseUrl& url,
                                std::chrono::steady_clock::time_point deadline) {
    if (url.dialect == dialect::DialectKind::Sqlite) return url;
    auto limit = default_connect_timeout;
    if (const auto set = url.query.find("connect_timeout"); set != url.query.end()) {
        long long seconds = 0;
        const auto& text = set->second;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), seconds);
        if (error != std::errc() || end != text.data() + text.size() || seconds <= 0) return url;
        limit = std::chrono::seconds(seconds);
    }
    const auto left = std::chrono::ceil<std::chrono::seconds>(deadline - std::chrono::steady_clock::now());
    config::DatabaseUrl capped = url;
    capped.query["connect_timeout"] = std::to_string(std::max<long long>(1, std::min(limit, left).count()));
    return capped;
}

// SQLite creates a missing file on connect; a read command would leave an empty database behind, in a
// directory the user may not have meant (a relative path from the wrong working directory).
bool sqlite_file_missing(const config::DatabaseUrl& url) {
    if (url.dialect != dialect::DialectKind::Sqlite) return false;
    if (url.database == ":memory:" || url.database.starts_with("file:")) return false;
    std::error_code error;
    return !std::filesystem::exists(url.database, error) && !error;
}

void refuse_missing_sqlite_file(const config::DatabaseUrl& url, DatabaseCreation creation) {
    if (creation == DatabaseCreation::Allowed || !sqlite_file_missing(url)) return;
    std::error_code error;
    throw Error(
        fmt::format("the SQLite database '{}' does not exist (looked for {}); run 'migrator upgrade' "
                    "to create it, or check database.url",
                    url.database, std::filesystem::absolute(url.database, error).string()));
}

}  // namespace

db::Connection& Workspace::connection() {
    // An API project keeps its workspace across calls: the empty stand-in of `check` must not serve a
    // later upgrade.
    if (connection_ && in_memory_stand_in_ && options_.database_creation != DatabaseCreation::EmptyInMemory) {
        lock_.reset();
        connection_.reset();
        in_memory_stand_in_ = false;
    }
    if (connection_) return *connection_;
    if (options_.database_creation == DatabaseCreation::EmptyInMemory &&
        sqlite_file_missing(database_url())) {
        auto empty = database_url();
        empty.database = ":memory:";
        connection_ = connect_(empty);
        in_memory_stand_in_ = true;
        return *connection_;
    }
    refuse_missing_sqlite_file(database_url(), options_.database_creation);
    if (options_.wait == ConnectWait::Off) {
        connection_ = connect_(database_url());
        return *connection_;
    }
    const auto started = std::chrono::steady_clock::now();
    const auto deadline = started + options_.wait_timeout;
    const auto wait_or_give_up = [&](const db::ConnectionError& error) {
        if (std::chrono::steady_clock::now() >= deadline) {
            throw Error(fmt::format("{} (waited {} s)", error.what(), options_.wait_timeout.count()));
        }
        log::debug("waiting for the database: {}", util::redact(error.what()));
        // A server that is starting up needs time, not a tight loop.
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
    };
    while (!connection_) {
        try {
            connection_ = connect_(attempt_url(database_url(), deadline));
        } catch (const db::ConnectionError& error) {
            // Waiting cures a server that is starting, never a wrong password; any other Error (a URL
            // parameter, a missing driver) is not a connection failure and ends the command at once.
            if (error.failure() == db::ConnectFailure::Authentication) throw;
            wait_or_give_up(error);
        }
    }
    return *connection_;
}

db::Lock& Workspace::lock_database() {
    if (!lock_) {
        const auto name = dialect().qualified_name(config().version_table_schema, config().version_table);
        lock_ = runtime::acquire_migration_lock(connection(), name, options_.lock_timeout);
    }
    return *lock_;
}

}  // namespace migrator::command
