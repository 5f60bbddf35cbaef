#include "migrator/command/workspace.hpp"

#include <fmt/format.h>

#include "migrator/script/script_loader.hpp"
#include "migrator/util/error.hpp"
#include "migrator/util/secrets.hpp"

namespace migrator::command {

Workspace::Workspace(std::ostream& out, ConnectionFactory connect) : out_(out), connect_(std::move(connect)) {}

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
        config_ = config::load_config(options_.config_file, overrides, config::process_environment()).value_or_throw();
    }
    return *config_;
}

const script::RevisionMap& Workspace::revisions() {
    if (!revisions_) {
        auto scripts = script::load_scripts(config().version_locations, script::disk_script_files()).value_or_throw();
        revisions_ = std::make_unique<script::RevisionMap>(script::RevisionMap::build(std::move(scripts)));
    }
    return *revisions_;
}

const config::DatabaseUrl& Workspace::database_url() {
    if (!url_) {
        const auto& raw = config().database_url;
        if (raw.empty()) {
            const auto& env_var = config().url_env_var;
            throw Error(fmt::format("no database URL: set database.url in {}{}, or pass --url",
                                    config().config_file.string(),
                                    env_var.empty() ? "" : fmt::format(", the {} environment variable", env_var)));
        }
        url_ = config::parse_database_url(raw).value_or_throw();
        util::register_secret(url_->password);
    }
    return *url_;
}

const dialect::Dialect& Workspace::dialect() { return dialect::dialect_for(database_url().dialect); }

db::Connection& Workspace::connection() {
    if (!connection_) connection_ = connect_(database_url());
    return *connection_;
}

}  // namespace migrator::command
