#include "migrator/command/new_revision.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "migrator/script/revision_id.hpp"
#include "migrator/script/script_parser.hpp"
#include "migrator/script/script_writer.hpp"
#include "migrator/util/clock.hpp"
#include "migrator/util/error.hpp"
#include "migrator/util/files.hpp"

namespace migrator::command {

namespace fs = std::filesystem;

namespace {

std::string read_template(const fs::path& path) {
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        throw Error(fmt::format("script template '{}' not found (run 'migrator init' or restore the file)",
                                path.string()));
    }
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

// The header a revision was built from.
script::Script header_of(const script::Revision& revision) {
    script::Script script;
    script.revision = revision.id();
    script.down_revisions = revision.down_revisions();
    script.branch_labels = revision.branch_labels();
    script.depends_on = revision.depends_on();
    script.message = revision.message();
    script.create_date = revision.create_date();
    script.path = revision.path();
    script.bodies = script::SqlBodies::InFile;
    return script;
}

// Partial ids become full ids; branch labels stay labels, as Alembic keeps them.
std::vector<std::string> resolve_depends_on(const script::RevisionMap& revisions,
                                            const std::vector<std::string>& depends_on) {
    std::vector<std::string> resolved;
    for (const auto& dependency : depends_on) {
        const auto& revision = revisions.resolve(dependency);
        const bool is_label = revision.branch_labels().contains(dependency);
        resolved.push_back(is_label ? dependency : std::string(revision.id()));
    }
    return resolved;
}

fs::path choose_directory(const config::Config& config, const script::RevisionMap& revisions,
                          const NewRevision& request) {
    if (request.version_path) {
        const auto wanted = fs::absolute(*request.version_path).lexically_normal();
        for (const auto& location : config.version_locations) {
            if (fs::absolute(location).lexically_normal() == wanted) return location;
        }
        throw Error(fmt::format("--version-path '{}' is not one of the version_locations in {}",
                                request.version_path->string(), config.config_file.string()));
    }
    if (!request.down_revisions.empty()) {
        return fs::path(revisions.find(request.down_revisions.front())->path()).parent_path();
    }
    if (config.version_locations.size() == 1) return config.version_locations.front();
    throw Error(
        "multiple version locations are present; please specify --version-path for a new base revision");
}

}  // namespace

WrittenRevision write_new_revision(Workspace& workspace, const NewRevision& request) {
    const auto& config = workspace.config();
    const auto& revisions = workspace.revisions();

    const std::string rev_id = request.rev_id ? script::validate_revision_id(*request.rev_id).value_or_throw()
                                              : script::generate_revision_id();
    if (revisions.find(rev_id) != nullptr) {
        throw Error(
            fmt::format("revision {} is already present in {}", rev_id, revisions.find(rev_id)->path()));
    }
    for (const auto& label : request.branch_labels) script::validate_branch_label(label).value_or_throw();

    const auto now = util::now_in(config.timezone).value_or_throw();
    script::NewScript fields;
    fields.revision = rev_id;
    fields.down_revisions = request.down_revisions;
    fields.branch_labels = request.branch_labels;
    fields.depends_on = resolve_depends_on(revisions, request.depends_on);
    fields.message = request.message;
    fields.create_date = now.text();
    fields.upgrade_sql = request.upgrade_sql;
    fields.downgrade_sql = request.downgrade_sql;

    const auto template_path = config.script_location / "script.sql.tmpl";
    const auto text =
        script::render_script(read_template(template_path), fields, config.x_arguments, template_path)
            .value_or_throw();

    const auto directory = choose_directory(config, revisions, request);
    std::vector<std::string> existing_names;
    existing_names.reserve(revisions.revisions().size());
    for (const auto& revision : revisions.revisions()) {
        existing_names.emplace_back(revision.file_name());
    }
    script::FileNameFields name_fields;
    name_fields.seq = script::next_sequence_number(existing_names);
    name_fields.rev = rev_id;
    name_fields.slug = script::slugify(request.message, config.truncate_slug_length);
    name_fields.year = now.year;
    name_fields.month = now.month;
    name_fields.day = now.day;
    name_fields.hour = now.hour;
    name_fields.minute = now.minute;
    name_fields.second = now.second;
    const auto path =
        directory / script::render_file_name(config.file_template, name_fields).value_or_throw();
    if (fs::exists(path)) throw Error(fmt::format("'{}' already exists", path.string()));

    // The new script must parse and keep the graph valid (labels unique, dependencies known)
    // before anything touches the disk: the map is rebuilt with it included.
    auto parsed = script::parse_script(text, path).value_or_throw();
    script::ScriptCatalog all_scripts;
    for (const auto& revision : revisions.revisions()) all_scripts.add(header_of(revision));
    all_scripts.add(parsed);
    (void)script::RevisionMap::build(std::move(all_scripts));

    util::write_new_file(path, text);
    return {path, rev_id};
}

}  // namespace migrator::command
