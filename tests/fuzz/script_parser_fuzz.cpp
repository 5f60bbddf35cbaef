// Any text as a migration script: parse_script returns a script or a failure naming the file, and
// both ways of reading (sections in memory, sections left in the file) agree on the header.

#include "script/script_parser.hpp"

#include <filesystem>
#include <string>

#include "fuzz_support.hpp"

using migrator::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = migrator::fuzz::as_text(data, size);
    const std::string path = "versions/0001_fuzz.sql";
    auto in_memory = migrator::script::parse_script(text, std::filesystem::path(path));
    auto in_file = migrator::script::parse_script(text, path, migrator::script::SqlBodies::InFile);
    check(in_memory.has_value() == in_file.has_value(), "both reading modes accept the same scripts");
    if (!in_memory) {
        migrator::fuzz::check_failure_message(in_memory.error().message);
        check(in_memory.error().message.starts_with(path), "a failure starts with the file's path");
        return 0;
    }
    const auto& script = *in_memory;
    check(script.path == path, "the script keeps its path");
    check(!script.revision.empty(), "a script has a revision");
    check(script.revision == in_file->revision, "both modes read the same revision");
    check(script.down_revisions == in_file->down_revisions, "both modes read the same parents");
    check(script.branch_labels == in_file->branch_labels, "both modes read the same labels");
    check(script.depends_on == in_file->depends_on, "both modes read the same dependencies");
    check(in_file->upgrade.sql.empty() && in_file->downgrade.sql.empty(), "InFile keeps no SQL");
    check(script.upgrade.line == in_file->upgrade.line, "both modes find the upgrade marker");
    check(script.downgrade.line == in_file->downgrade.line, "both modes find the downgrade marker");
    check(text.find(script.upgrade.sql) != std::string_view::npos, "the upgrade section is script text");
    check(text.find(script.downgrade.sql) != std::string_view::npos, "the downgrade section is script text");
    return 0;
}
