#include "migrator/render/change_report.hpp"

#include <nlohmann/json.hpp>

#include "migrator/render/json_document.hpp"

namespace migrator::render {

void print_json(std::ostream& out, const ChangeReport& report) {
    nlohmann::json script(nullptr);
    if (report.script) {
        script = {{"path", report.script->path},
                  {"revision", report.script->revision},
                  {"down_revisions", report.script->down_revisions},
                  {"message", report.script->message}};
    }
    const nlohmann::json document{
        {"schema_version", json_schema_version}, {"command", report.command},
        {"changed", report.changed()},           {"created", report.created},
        {"existing", report.existing},           {"script", std::move(script)},
    };
    out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
}

}  // namespace migrator::render
