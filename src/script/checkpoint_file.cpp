#include "script/checkpoint_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <system_error>

#include "script/statement_splitter.hpp"
#include "util/ascii.hpp"
#include "util/error.hpp"
#include "util/strings.hpp"

namespace migrator::script {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view upgrade_marker = "-- migrate:upgrade";

bool is_word_char(char c) {
    return util::is_alnum(c) || c == '_';
}

// The words of a statement outside comments, strings and quoted names, upper-cased, up to `limit`.
std::vector<std::string> leading_words(std::string_view sql, std::size_t limit) {
    std::vector<std::string> words;
    std::size_t i = 0;
    while (i < sql.size() && words.size() < limit) {
        const char c = sql[i];
        if (c == '-' && sql.substr(i, 2) == "--") {
            const auto end = sql.find('\n', i);
            i = end == std::string_view::npos ? sql.size() : end + 1;
        } else if (c == '/' && sql.substr(i, 2) == "/*") {
            const auto end = sql.find("*/", i + 2);
            i = end == std::string_view::npos ? sql.size() : end + 2;
        } else if (c == '\'' || c == '"' || c == '`') {
            const auto end = sql.find(c, i + 1);
            i = end == std::string_view::npos ? sql.size() : end + 1;
        } else if (is_word_char(c)) {
            const auto start = i;
            while (i < sql.size() && is_word_char(sql[i])) ++i;
            words.push_back(util::to_upper(sql.substr(start, i - start)));
        } else {
            ++i;
        }
    }
    return words;
}

// DO and CALL run code that may change rows; they count as data changes since nothing tells otherwise.
constexpr std::array<std::string_view, 9> data_keywords{"INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE",
                                                        "COPY",   "LOAD",   "DO",     "CALL"};

bool is_data_keyword(std::string_view word) {
    return std::find(data_keywords.begin(), data_keywords.end(), word) != data_keywords.end();
}

}  // namespace

fs::path checkpoint_directory(const fs::path& script_location) {
    return script_location / "checkpoints";
}

std::string checkpoint_file_name(std::string_view revision, std::string_view dialect_name) {
    return fmt::format("{}_{}.sql", revision, dialect_name);
}

std::vector<std::string> list_checkpoints(const fs::path& directory, std::string_view dialect_name) {
    std::error_code error;
    if (!fs::is_directory(directory, error)) return {};
    const std::string suffix = fmt::format("_{}.sql", dialect_name);
    std::vector<std::string> revisions;
    fs::directory_iterator it(directory, error);
    if (error) throw Error(fmt::format("cannot list '{}': {}", directory.string(), error.message()));
    for (; it != fs::directory_iterator(); it.increment(error)) {
        if (error) throw Error(fmt::format("cannot list '{}': {}", directory.string(), error.message()));
        const auto name = it->path().filename().string();
        if (name.starts_with('.') || name.size() <= suffix.size() || !name.ends_with(suffix)) continue;
        revisions.push_back(name.substr(0, name.size() - suffix.size()));
    }
    std::sort(revisions.begin(), revisions.end());
    return revisions;
}

Expected<CheckpointFile> parse_checkpoint(std::string_view text, std::string_view path,
                                          dialect::DialectKind dialect) {
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    CheckpointFile checkpoint;
    std::size_t line = 0;
    std::size_t position = 0;
    while (position < text.size()) {
        ++line;
        auto end = text.find('\n', position);
        if (end == std::string_view::npos) end = text.size();
        const auto raw = util::trim(text.substr(position, end - position));
        position = end + 1;
        if (raw.empty()) continue;
        if (raw == upgrade_marker) {
            if (checkpoint.revision.empty()) {
                return fail(fmt::format("{}:{}: the header has no '-- checkpoint: REV' line", path, line));
            }
            const auto body = position < text.size() ? text.substr(position) : std::string_view();
            auto statements = split_statements(body, dialect, SqlSource{path, line + 1});
            if (!statements) return statements.error();
            checkpoint.statements = std::move(*statements);
            return checkpoint;
        }
        if (!raw.starts_with("--")) {
            return fail(fmt::format("{}:{}: SQL before '{}'; a checkpoint's header holds comments only", path,
                                    line, upgrade_marker));
        }
        const auto content = util::trim(raw.substr(2));
        const auto colon = content.find(':');
        if (colon == std::string_view::npos) continue;
        const auto key = content.substr(0, colon);
        const auto value = std::string(util::trim(content.substr(colon + 1)));
        if (key == "checkpoint") {
            checkpoint.revision = value;
        } else if (key == "message") {
            checkpoint.message = value;
        } else if (key == "dialect") {
            checkpoint.dialect = value;
        } else if (key == "create_date") {
            checkpoint.create_date = value;
        }
    }
    return fail(fmt::format("{}:{}: no '{}' line", path, line, upgrade_marker));
}

std::string render_checkpoint(const CheckpointFile& checkpoint, const std::vector<std::string>& notes,
                              const std::vector<std::string>& statements) {
    std::string text =
        fmt::format("-- checkpoint: {}\n-- message: {}\n-- dialect: {}\n-- create_date: {}\n",
                    checkpoint.revision, checkpoint.message, checkpoint.dialect, checkpoint.create_date);
    for (const auto& note : notes) text += fmt::format("-- {}\n", note);
    text += fmt::format("\n{}\n", upgrade_marker);
    for (const auto& statement : statements) {
        // The renderer's review notes are comment elements, not statements.
        text += statement.starts_with("--") ? statement + "\n" : statement + ";\n";
    }
    return text;
}

std::optional<std::string> data_statement_keyword(std::string_view sql) {
    // A WITH clause may front a data change: WITH t AS (...) INSERT INTO ...
    const auto words = leading_words(sql, 1);
    if (words.empty()) return std::nullopt;
    if (is_data_keyword(words.front())) return words.front();
    if (words.front() != "WITH") return std::nullopt;
    for (const auto& word : leading_words(sql, std::string_view::npos)) {
        if (is_data_keyword(word)) return word;
    }
    return std::nullopt;
}

}  // namespace migrator::script
