// Any text as a migration section, for each dialect (the first byte picks it): no crash, and the
// statements are non-empty pieces of the text, in order, with non-decreasing line numbers.

#include "script/statement_splitter.hpp"

#include <array>
#include <string>
#include <vector>

#include "dialect/dialect.hpp"
#include "fuzz_support.hpp"

using migrator::dialect::DialectKind;
using migrator::fuzz::check;

namespace {

constexpr std::array dialects{DialectKind::Sqlite, DialectKind::Postgresql, DialectKind::Mysql};

// A failure (an unterminated construct, a NUL byte) must name the line it is at.
std::vector<migrator::script::Statement> split(std::string_view sql, DialectKind dialect,
                                               std::size_t first_line) {
    auto statements = migrator::script::split_statements(sql, dialect, {"fuzz.sql", first_line});
    if (statements) return std::move(*statements);
    check(statements.error().message.rfind("fuzz.sql:", 0) == 0, "a failure names the file and line");
    return {};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const DialectKind dialect = dialects[data[0] % dialects.size()];
    const std::string_view sql = migrator::fuzz::as_text(data + 1, size - 1);
    constexpr std::size_t first_line = 7;
    const auto statements = split(sql, dialect, first_line);

    std::size_t from = 0;
    std::size_t previous_line = first_line;
    for (const auto& statement : statements) {
        check(!statement.sql.empty(), "no empty statement");
        const std::size_t at = sql.find(statement.sql, from);
        check(at != std::string_view::npos, "a statement is a piece of the text, after the one before");
        check(statement.line >= previous_line, "line numbers do not go back");
        from = at + statement.sql.size();
        previous_line = statement.line;
    }
    return 0;
}
