// Any text as a revision target (and as a --sql range), parsed and then resolved against a small
// branched graph. Unknown or ambiguous targets are migrator::Error; any other exception, a crash or
// a hang is a finding.

#include "script/target.hpp"

#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "script/revision_map.hpp"
#include "script/script.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

using migrator::script::RelativeLength;
using migrator::script::RevisionMap;
using migrator::script::Script;

namespace {

Script script(std::string revision, std::vector<std::string> down, std::vector<std::string> labels = {},
              std::vector<std::string> depends = {}) {
    Script s;
    s.revision = std::move(revision);
    s.down_revisions = std::move(down);
    s.branch_labels = std::move(labels);
    s.depends_on = std::move(depends);
    s.path = "versions/" + s.revision + ".sql";
    return s;
}

// a1 -> b2 -> c3 (branch "main") and b2 -> d4 -> e5 (branch "side"), merged in f6; g7 a second base
// that depends on c3.
const RevisionMap& graph() {
    static const RevisionMap map = RevisionMap::build(std::vector<Script>{
        script("aaaa11111111", {}), script("bbbb22222222", {"aaaa11111111"}),
        script("cccc33333333", {"bbbb22222222"}, {"main"}),
        script("dddd44444444", {"bbbb22222222"}, {"side"}), script("eeee55555555", {"dddd44444444"}),
        script("ffff66666666", {"cccc33333333", "eeee55555555"}),
        script("abcd77777777", {}, {"other"}, {"cccc33333333"})});
    return map;
}

void resolve(const migrator::script::Target& target, const std::vector<std::string>& current) {
    for (auto length : {RelativeLength::Strict, RelativeLength::Clamp}) {
        try {
            (void)migrator::script::resolve_upgrade_target(graph(), current, target, length);
        } catch (const migrator::Error&) {
        }
        try {
            (void)migrator::script::resolve_downgrade_target(graph(), current, target, length);
        } catch (const migrator::Error&) {
        }
    }
}

}  // namespace

// Resolving warns about some targets; formatting and writing those lines would be most of the time.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
    migrator::log::start(migrator::log::Level::Error);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text = migrator::fuzz::as_text(data, size);
    if (auto range = migrator::script::split_range(text); !range) {
        migrator::fuzz::check_failure_message(range.error().message);
    }
    auto target = migrator::script::parse_target(text);
    if (!target) {
        migrator::fuzz::check_failure_message(target.error().message);
        return 0;
    }
    migrator::fuzz::check(target->text == text, "a target keeps its text");
    resolve(*target, {});
    resolve(*target, {"bbbb22222222"});
    resolve(*target, {"cccc33333333", "eeee55555555"});
    resolve(*target, {"ffff66666666", "abcd77777777"});
    return 0;
}
