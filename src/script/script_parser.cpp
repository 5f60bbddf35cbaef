#include "script/script_parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <string>

#include "script/revision_id.hpp"
#include "util/strings.hpp"

namespace migrator::script {

namespace {

constexpr std::string_view section_prefix = "migrate:";

enum class HeaderKey { Message, Revision, DownRevision, BranchLabels, DependsOn, CreateDate };

struct HeaderKeyName {
    HeaderKey key;
    std::string_view name;
};

constexpr HeaderKeyName header_keys[] = {
    {HeaderKey::Message, "message"},
    {HeaderKey::Revision, "revision"},
    {HeaderKey::DownRevision, "down_revision"},
    {HeaderKey::BranchLabels, "branch_labels"},
    {HeaderKey::DependsOn, "depends_on"},
    {HeaderKey::CreateDate, "create_date"},
};
constexpr std::size_t header_key_count = std::size(header_keys);

std::optional<HeaderKey> find_header_key(std::string_view name) {
    for (const auto& entry : header_keys) {
        if (entry.name == name) return entry.key;
    }
    return std::nullopt;
}

bool is_lower_word_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

// "key: value" where key is a lowercase word followed by a colon. An unknown word counts as a key (so
// that typos are reported) only when white space or the line end follows the colon; "Note: x",
// "TODO: x" and "http://..." stay plain comments.
struct HeaderLine {
    std::string_view key;
    std::string_view value;
};

std::optional<HeaderLine> as_header_line(std::string_view comment) {
    if (comment.empty() || !(comment[0] >= 'a' && comment[0] <= 'z')) return std::nullopt;
    std::size_t end = 0;
    while (end < comment.size() && is_lower_word_char(comment[end])) ++end;
    const std::string_view key = comment.substr(0, end);
    std::string_view rest = comment.substr(end);
    while (!rest.empty() && (rest[0] == ' ' || rest[0] == '\t')) rest.remove_prefix(1);
    if (rest.empty() || rest[0] != ':') return std::nullopt;
    rest.remove_prefix(1);
    const bool word_ends = rest.empty() || rest[0] == ' ' || rest[0] == '\t';
    if (!word_ends && !find_header_key(key)) return std::nullopt;
    return HeaderLine{key, util::trim(rest)};
}

enum class SectionKind { Upgrade, Downgrade };

struct SectionMarker {
    SectionKind kind;
    TransactionMode transaction;
};

class ScriptParser {
public:
    ScriptParser(std::string_view text, std::string path, SqlBodies bodies) : text_(text), bodies_(bodies) {
        script_.path = std::move(path);
        script_.bodies = bodies;
    }

    Expected<Script> parse() {
        if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);  // UTF-8 byte order mark
        // Drivers read SQL up to a NUL, so the text after one would never run: refused when loading.
        if (const std::size_t nul = text_.find('\0'); nul != std::string_view::npos) {
            const auto line = 1 + static_cast<std::size_t>(std::count(
                                      text_.begin(), text_.begin() + static_cast<std::ptrdiff_t>(nul), '\n'));
            return *error(line, "NUL byte; a script must be text");
        }
        std::size_t line_start = 0;
        while (line_start < text_.size()) {
            std::size_t line_end = text_.find('\n', line_start);
            if (line_end == std::string_view::npos) line_end = text_.size();
            ++line_number_;
            if (auto failure = parse_line(text_.substr(line_start, line_end - line_start), line_start)) {
                return *failure;
            }
            line_start = line_end + 1;
        }
        close_section(text_.size());
        if (auto failure = check_complete()) return *failure;
        return std::move(script_);
    }

private:
    std::optional<Failure> parse_line(std::string_view line, std::size_t line_offset) {
        // Most lines are decided by their first non-blank characters; only comments get trimmed.
        std::size_t start = 0;
        while (start < line.size() && util::is_space(line[start])) ++start;
        if (!line.substr(start).starts_with("--")) {
            // Section text is taken as a whole later; a blank line is nothing.
            if (current_section_ != nullptr || start == line.size()) return std::nullopt;
            return error(line_number_, "SQL before the first section; put it under '-- migrate:upgrade'");
        }
        const std::string_view comment = util::trim(line.substr(start + 2));
        if (comment.starts_with(section_prefix)) {
            return start_section(comment.substr(section_prefix.size()), line_offset,
                                 std::min(line_offset + line.size() + 1, text_.size()));
        }
        if (current_section_ != nullptr) return std::nullopt;
        const auto header = as_header_line(comment);
        if (!header) return std::nullopt;  // a plain comment
        return set_header(*header);
    }

    std::optional<Failure> set_header(const HeaderLine& header) {
        const auto key = find_header_key(header.key);
        if (!key) return error(line_number_, fmt::format("unknown header key '{}'", header.key));
        auto& first_line = key_lines_[static_cast<std::size_t>(*key)];
        if (first_line != 0) {
            return error(line_number_, fmt::format("duplicate header key '{}' (first given on line {})",
                                                   header.key, first_line));
        }
        first_line = line_number_;
        switch (*key) {
            case HeaderKey::Message:
                script_.message = std::string(header.value);
                break;
            case HeaderKey::CreateDate:
                script_.create_date = std::string(header.value);
                break;
            case HeaderKey::Revision: {
                auto id = validate_revision_id(header.value);
                if (!id) return error(line_number_, id.error().message);
                script_.revision = std::move(*id);
                break;
            }
            case HeaderKey::DownRevision:
                script_.down_revisions = util::split_list(header.value);
                for (const auto& parent : script_.down_revisions) {
                    auto id = validate_revision_id(parent);
                    if (!id) return error(line_number_, "down_revision: " + id.error().message);
                }
                break;
            case HeaderKey::BranchLabels:
                return set_labels(header.key, header.value, script_.branch_labels);
            case HeaderKey::DependsOn:
                return set_labels(header.key, header.value, script_.depends_on);
        }
        return std::nullopt;
    }

    std::optional<Failure> set_labels(std::string_view key, std::string_view value,
                                      std::vector<std::string>& out) {
        out = util::split_list(value);
        for (const auto& label : out) {
            auto checked = validate_branch_label(label);
            if (!checked) return error(line_number_, fmt::format("{}: {}", key, checked.error().message));
        }
        return std::nullopt;
    }

    std::optional<Failure> start_section(std::string_view spec, std::size_t marker_offset,
                                         std::size_t body_offset) {
        const auto marker = parse_marker(spec);
        if (!marker) return marker.error();
        close_section(marker_offset);
        Section& section = marker->kind == SectionKind::Upgrade ? script_.upgrade : script_.downgrade;
        const std::string_view name = marker->kind == SectionKind::Upgrade ? "upgrade" : "downgrade";
        if (section.line != 0) {
            return error(line_number_, fmt::format("duplicate section '-- migrate:{}' (first on line {})",
                                                   name, section.line));
        }
        section.line = line_number_;
        section.transaction = marker->transaction;
        current_section_ = &section;
        section_body_offset_ = body_offset;
        return std::nullopt;
    }

    Expected<SectionMarker> parse_marker(std::string_view spec) const {
        spec = util::trim(spec);
        std::size_t name_end = 0;
        while (name_end < spec.size() && spec[name_end] != ' ' && spec[name_end] != '\t') ++name_end;
        const std::string_view name = spec.substr(0, name_end);
        SectionMarker marker{SectionKind::Upgrade, TransactionMode::Transactional};
        if (name == "downgrade") {
            marker.kind = SectionKind::Downgrade;
        } else if (name != "upgrade") {
            return *error(
                line_number_,
                fmt::format("unknown section 'migrate:{}'; expected 'migrate:upgrade' or 'migrate:downgrade'",
                            name));
        }
        const std::string_view options = util::trim(spec.substr(name_end));
        if (options.empty()) return marker;
        if (options != "transaction=false") {
            return *error(line_number_, fmt::format("unknown section option '{}'; the only option is "
                                                    "'transaction=false'",
                                                    options));
        }
        marker.transaction = TransactionMode::NonTransactional;
        return marker;
    }

    void close_section(std::size_t end_offset) {
        if (current_section_ == nullptr) return;
        if (bodies_ == SqlBodies::InMemory) {
            current_section_->sql =
                std::string(text_.substr(section_body_offset_, end_offset - section_body_offset_));
        }
        current_section_ = nullptr;
    }

    std::optional<Failure> check_complete() const {
        if (script_.revision.empty()) return error(1, "missing header key 'revision'");
        const std::size_t last_line = line_number_ == 0 ? 1 : line_number_;
        if (script_.upgrade.line == 0) return error(last_line, "missing section '-- migrate:upgrade'");
        if (script_.downgrade.line == 0) return error(last_line, "missing section '-- migrate:downgrade'");
        return std::nullopt;
    }

    std::optional<Failure> error(std::size_t line, std::string_view what) const {
        return fail(fmt::format("{}:{}: {}", script_.path, line, what));
    }

    std::string_view text_;
    SqlBodies bodies_;
    Script script_;
    std::size_t line_number_ = 0;
    std::size_t key_lines_[header_key_count] = {};
    Section* current_section_ = nullptr;
    std::size_t section_body_offset_ = 0;
};

}  // namespace

Expected<Script> parse_script(std::string_view text, const std::filesystem::path& path) {
    return ScriptParser(text, path.string(), SqlBodies::InMemory).parse();
}

Expected<Script> parse_script(std::string_view text, std::string path, SqlBodies bodies) {
    return ScriptParser(text, std::move(path), bodies).parse();
}

}  // namespace migrator::script
