#include "script/script_writer.hpp"

#include <fmt/format.h>

#include <limits>
#include <optional>

#include "script/revision_id.hpp"
#include "script/script_loader.hpp"
#include "util/ascii.hpp"
#include "util/strings.hpp"

namespace migrator::script {

namespace {

constexpr std::string_view script_template = R"(-- message: ${message}
-- revision: ${revision}
-- down_revision: ${down_revision}
-- branch_labels: ${branch_labels}
-- depends_on: ${depends_on}
-- create_date: ${create_date}

-- migrate:upgrade
${upgrade}

-- migrate:downgrade
${downgrade}
)";

constexpr std::string_view upgrade_hint = "-- write the upgrade SQL here";
constexpr std::string_view downgrade_hint =
    "-- write the downgrade SQL here; if the change cannot be undone, say why in a comment";

constexpr std::string_view x_prefix = "x.";

// The header holds one line per key, so line breaks in a message become spaces.
std::string one_line(std::string_view text) {
    std::string line(util::trim(text));
    for (char& c : line) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    return line;
}

std::optional<Failure> check_ids(const NewScript& script) {
    if (auto id = validate_revision_id(script.revision); !id) return id.error();
    for (const auto& parent : script.down_revisions) {
        if (auto id = validate_revision_id(parent); !id) return fail("down_revision: " + id.error().message);
    }
    for (const auto& label : script.branch_labels) {
        if (auto ok = validate_branch_label(label); !ok) return fail("branch_labels: " + ok.error().message);
    }
    for (const auto& label : script.depends_on) {
        if (auto ok = validate_branch_label(label); !ok) return fail("depends_on: " + ok.error().message);
    }
    return std::nullopt;
}

class TemplateRenderer {
public:
    TemplateRenderer(const NewScript& script, const std::map<std::string, std::string>& x_arguments,
                     const std::filesystem::path& template_path)
        : script_(script), x_arguments_(x_arguments), template_path_(template_path) {}

    Expected<std::string> render(std::string_view text) {
        std::string out;
        out.reserve(text.size() + script_.upgrade_sql.size() + script_.downgrade_sql.size() + 256);
        std::size_t line = 1;
        std::size_t pos = 0;
        while (pos < text.size()) {
            const std::size_t open = text.find("${", pos);
            const std::string_view literal =
                text.substr(pos, open == std::string_view::npos ? open : open - pos);
            out += literal;
            line += count_newlines(literal);
            if (open == std::string_view::npos) break;

            const std::size_t close = text.find_first_of("}\n", open + 2);
            if (close == std::string_view::npos || text[close] != '}') {
                return error(line, "unterminated placeholder; write it as ${name}");
            }
            const std::string_view name = util::trim(text.substr(open + 2, close - open - 2));
            auto value = lookup(name, line);
            if (!value) return value.error();
            pos = close + 1;
            append_value(out, *value, pos == text.size() || text[pos] == '\n' || text[pos] == '\r');
        }
        return out;
    }

private:
    static std::size_t count_newlines(std::string_view text) {
        std::size_t count = 0;
        for (char c : text) count += c == '\n' ? 1U : 0U;
        return count;
    }

    // An empty value at a line end would leave "-- branch_labels: " with a trailing blank; drop it.
    static void append_value(std::string& out, std::string_view value, bool at_line_end) {
        if (value.empty() && at_line_end) {
            while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
            return;
        }
        out += value;
    }

    Expected<std::string> lookup(std::string_view name, std::size_t line) const {
        if (name == "message") return one_line(script_.message);
        if (name == "revision") return script_.revision;
        if (name == "down_revision") return util::join(script_.down_revisions);
        if (name == "branch_labels") return util::join(script_.branch_labels);
        if (name == "depends_on") return util::join(script_.depends_on);
        if (name == "create_date") return one_line(script_.create_date);
        if (name == "upgrade") return section_body(script_.upgrade_sql, upgrade_hint);
        if (name == "downgrade") return section_body(script_.downgrade_sql, downgrade_hint);
        if (name.substr(0, x_prefix.size()) == x_prefix) {
            const std::string key(name.substr(x_prefix.size()));
            const auto found = x_arguments_.find(key);
            if (found == x_arguments_.end()) {
                return error(line,
                             fmt::format("placeholder '${{{}}}' needs a value: pass -x {}=...", name, key));
            }
            return found->second;
        }
        return error(line, fmt::format("unknown placeholder '${{{}}}'", name));
    }

    static std::string section_body(const std::string& sql, std::string_view hint) {
        const std::string_view body = util::trim(sql);
        return std::string(body.empty() ? hint : body);
    }

    Failure error(std::size_t line, std::string_view what) const {
        return fail(fmt::format("{}:{}: {}", template_path_.string(), line, what));
    }

    const NewScript& script_;
    const std::map<std::string, std::string>& x_arguments_;
    const std::filesystem::path& template_path_;
};

bool is_plain_file_name(std::string_view name) {
    if (name.empty() || name == "." || name == "..") return false;
    for (char c : name) {
        if (c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return false;
    }
    return true;
}

// fmt would also accept "{}" or "{0}" and silently bind them to seq, rev, ...; only names are meaningful.
bool uses_positional_argument(std::string_view file_template) {
    for (std::size_t i = 0; i < file_template.size(); ++i) {
        if (file_template[i] != '{') continue;
        if (i + 1 < file_template.size() && file_template[i + 1] == '{') {
            ++i;  // "{{" is a literal brace
            continue;
        }
        const char next = i + 1 < file_template.size() ? file_template[i + 1] : '\0';
        if (next == '}' || next == ':' || (next >= '0' && next <= '9')) return true;
    }
    return false;
}

// The largest number a replacement field's format spec may hold: widths and precisions beyond a
// file name's length would only make fmt allocate (2 GB for "{seq:2147483647d}").
constexpr unsigned long max_spec_number = 255;
constexpr std::size_t max_file_name_bytes = 255;  // NAME_MAX on Linux file systems

// The first number above max_spec_number inside a "{...}" field, or nullopt.
std::optional<std::string_view> oversized_spec_number(std::string_view file_template) {
    int depth = 0;
    for (std::size_t i = 0; i < file_template.size(); ++i) {
        const char c = file_template[i];
        if (depth == 0 && c == '{' && i + 1 < file_template.size() && file_template[i + 1] == '{') {
            ++i;  // "{{" is a literal brace
        } else if (c == '{') {
            ++depth;
        } else if (c == '}' && depth > 0) {
            --depth;
        } else if (depth > 0 && c >= '0' && c <= '9') {
            std::size_t end = i;
            unsigned long value = 0;
            while (end < file_template.size() && file_template[end] >= '0' && file_template[end] <= '9') {
                if (value <= max_spec_number)
                    value = value * 10 + static_cast<unsigned long>(file_template[end] - '0');
                ++end;
            }
            if (value > max_spec_number) return file_template.substr(i, end - i);
            i = end - 1;
        }
    }
    return std::nullopt;
}

}  // namespace

std::string_view default_script_template() {
    return script_template;
}

Expected<std::string> render_script(std::string_view template_text, const NewScript& script,
                                    const std::map<std::string, std::string>& x_arguments,
                                    const std::filesystem::path& template_path) {
    if (auto failure = check_ids(script)) return *failure;
    return TemplateRenderer(script, x_arguments, template_path).render(template_text);
}

std::string slugify(std::string_view message, int max_length) {
    std::string slug;
    slug.reserve(message.size());
    for (char c : message) {
        if (util::is_alnum(c)) {
            slug += util::to_lower(c);
        } else if (!slug.empty() && slug.back() != '_') {
            slug += '_';
        }
    }
    if (!slug.empty() && slug.back() == '_') slug.pop_back();
    if (max_length <= 0 || slug.size() <= static_cast<std::size_t>(max_length)) return slug;

    const auto limit = static_cast<std::size_t>(max_length);
    if (slug[limit] == '_') return slug.substr(0, limit);  // the cut falls exactly between two words
    const std::size_t boundary = slug.rfind('_', limit - 1);
    if (boundary == std::string::npos || boundary == 0) return slug.substr(0, limit);  // one long word
    return slug.substr(0, boundary);
}

Expected<std::string> render_file_name(std::string_view file_template, const FileNameFields& fields) {
    if (uses_positional_argument(file_template)) {
        return fail(
            fmt::format("setting 'file_template' ('{}') must refer to values by name: seq, rev, slug, year, "
                        "month, day, hour, minute, second",
                        file_template));
    }
    if (const auto number = oversized_spec_number(file_template)) {
        return fail(
            fmt::format("setting 'file_template' ('{}') asks for a width of {}; at most {} is allowed",
                        file_template, *number, max_spec_number));
    }
    std::string name;
    try {
        name = fmt::format(fmt::runtime(file_template), fmt::arg("seq", fields.seq),
                           fmt::arg("rev", fields.rev), fmt::arg("slug", fields.slug),
                           fmt::arg("year", fields.year), fmt::arg("month", fields.month),
                           fmt::arg("day", fields.day), fmt::arg("hour", fields.hour),
                           fmt::arg("minute", fields.minute), fmt::arg("second", fields.second));
    } catch (const fmt::format_error& e) {
        return fail(
            fmt::format("setting 'file_template' ('{}') is not a valid template: {}; available names: "
                        "seq, rev, slug, year, month, day, hour, minute, second",
                        file_template, e.what()));
    }
    if (!is_plain_file_name(name)) {
        return fail(fmt::format("setting 'file_template' ('{}') gives '{}', which is not a plain file name",
                                file_template, name));
    }
    name += ".sql";
    if (name.size() > max_file_name_bytes) {
        return fail(fmt::format(
            "setting 'file_template' ('{}') gives a file name of {} bytes; at most {} are allowed",
            file_template, name.size(), max_file_name_bytes));
    }
    if (!is_script_file_name(name)) {
        return fail(fmt::format(
            "setting 'file_template' ('{}') gives '{}', which the script loader would ignore (names starting "
            "with '.' are hidden)",
            file_template, name));
    }
    return name;
}

int next_sequence_number(const std::vector<std::string>& existing_file_names) {
    constexpr int max_sequence = std::numeric_limits<int>::max() - 1;
    int largest = 0;
    for (std::string_view name : existing_file_names) {
        const std::size_t slash = name.find_last_of("/\\");
        if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
        long long number = 0;
        std::size_t digits = 0;
        for (; digits < name.size() && name[digits] >= '0' && name[digits] <= '9'; ++digits) {
            number = number * 10 + (name[digits] - '0');
            if (number > max_sequence) break;
        }
        if (digits == 0 || number > max_sequence) continue;  // no number, or too large to continue from
        if (number > largest) largest = static_cast<int>(number);
    }
    return largest + 1;
}

}  // namespace migrator::script
