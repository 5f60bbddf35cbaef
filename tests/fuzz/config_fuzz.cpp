// Any text as migrator.yaml: parse_config returns a config or a failure that starts with the file
// name; yaml-cpp's exceptions never escape. The first byte picks the -n environment (or none).

#include "config/config.hpp"

#include <array>
#include <optional>
#include <string>

#include "fuzz_support.hpp"

using migrator::fuzz::check;

namespace {

// A fixed environment: a few variables set, one empty, the rest unset.
std::optional<std::string> environment(std::string_view name) {
    if (name == "HOME") return "/home/fuzz";
    if (name == "DATABASE_URL") return "sqlite:///env.db";
    if (name == "EMPTY") return "";
    if (name == "X") return "${X}";
    return std::nullopt;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    constexpr std::array<const char*, 4> environments{nullptr, "staging", "production", "dev"};
    migrator::config::Overrides overrides;
    if (const char* name = environments[data[0] % environments.size()]) overrides.environment = name;
    if ((data[0] & 0x10U) != 0) overrides.url = "sqlite:///override.db";
    const std::string_view yaml = migrator::fuzz::as_text(data + 1, size - 1);

    auto config = migrator::config::parse_config(yaml, "/fuzz/dir", overrides, environment, "fuzz.yaml");
    if (!config) {
        migrator::fuzz::check_failure_message(config.error().message);
        check(config.error().message.starts_with("fuzz.yaml"), "a failure starts with the file name");
        return 0;
    }
    check(config->script_location.is_absolute(), "script_location is made absolute");
    for (const auto& location : config->version_locations) {
        check(location.is_absolute(), "version locations are made absolute");
    }
    if (overrides.url) check(config->database_url == *overrides.url, "--url wins over everything");

    auto interpolated = migrator::config::interpolate(yaml, environment);
    if (!interpolated) migrator::fuzz::check_failure_message(interpolated.error().message);
    return 0;
}
