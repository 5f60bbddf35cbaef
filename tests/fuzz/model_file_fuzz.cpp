// Any text as a model file, for each dialect (the first byte picks it): a schema or a failure that
// starts with the file name; yaml-cpp's exceptions never escape.

#include "autogenerate/model_file.hpp"

#include <array>

#include "fuzz_support.hpp"

using migrator::dialect::DialectKind;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    constexpr std::array dialects{DialectKind::Sqlite, DialectKind::Postgresql, DialectKind::Mysql};
    const DialectKind dialect = dialects[data[0] % dialects.size()];
    const std::string_view yaml = migrator::fuzz::as_text(data + 1, size - 1);
    auto schema = migrator::autogenerate::parse_model_file(yaml, "models.yaml", dialect);
    if (!schema) {
        migrator::fuzz::check_failure_message(schema.error().message);
        migrator::fuzz::check(schema.error().message.starts_with("models.yaml"),
                              "a failure starts with the file name");
    }
    return 0;
}
