#pragma once
// Writes new scripts: the template `init` installs, placeholder rendering, file names.

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "util/expected.hpp"

namespace migrator::script {

/// What `revision` knows about the script it is about to write.
struct NewScript {
    std::string revision;
    std::vector<std::string> down_revisions;
    std::vector<std::string> branch_labels;
    std::vector<std::string> depends_on;
    std::string message;
    std::string create_date;
    std::string upgrade_sql;    // empty: the template gets a "write the upgrade SQL here" comment
    std::string downgrade_sql;  // empty: likewise for the downgrade
};

/// The text `init` writes to <script_location>/script.sql.tmpl.
std::string_view default_script_template();

/// Replaces ${message}, ${revision}, ${down_revision}, ${branch_labels}, ${depends_on}, ${create_date},
/// ${upgrade}, ${downgrade} and ${x.KEY}. An unknown placeholder or a missing -x key fails naming
/// `template_path` and the line; an unusable revision id or label fails naming it.
Expected<std::string> render_script(std::string_view template_text, const NewScript& script,
                                    const std::map<std::string, std::string>& x_arguments,
                                    const std::filesystem::path& template_path);

/// The message as a file-name fragment: lowercase ASCII words joined by '_', at most `max_length`
/// characters, cut at a word boundary when possible. `max_length` <= 0 means no limit.
std::string slugify(std::string_view message, int max_length);

/// The values a file_template may use.
struct FileNameFields {
    int seq = 1;
    std::string rev;
    std::string slug;
    int year = 1970;
    int month = 1;
    int day = 1;
    int hour = 0;
    int minute = 0;
    int second = 0;
};

/// The default for the `file_template` setting.
inline constexpr std::string_view default_file_template = "{seq:04d}_{rev}_{slug}";

/// Formats `file_template` (fmt named-argument syntax) and appends ".sql"; a bad template or a
/// result that is not a plain file name fails naming the `file_template` setting.
Expected<std::string> render_file_name(std::string_view file_template, const FileNameFields& fields);

/// 1 + the largest leading decimal number among the file names (any directory part is ignored), or 1.
int next_sequence_number(const std::vector<std::string>& existing_file_names);

}  // namespace migrator::script
