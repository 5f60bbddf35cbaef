#pragma once
// Checkpoint scripts: the whole schema at one revision, as `squash` writes it to
// <script_location>/checkpoints/<REV>_<dialect>.sql, so that a fresh database skips base..REV.

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dialect/dialect.hpp"
#include "script/script.hpp"
#include "util/expected.hpp"

namespace migrator::script {

/// The directory of the checkpoints, beside versions/; never a version location.
std::filesystem::path checkpoint_directory(const std::filesystem::path& script_location);

/// "<revision>_<dialect>.sql".
std::string checkpoint_file_name(std::string_view revision, std::string_view dialect_name);

/// The revisions of the checkpoints for `dialect_name` in `directory`, from the file names, sorted;
/// empty when the directory does not exist. Throws Error when it exists but cannot be listed.
std::vector<std::string> list_checkpoints(const std::filesystem::path& directory,
                                          std::string_view dialect_name);

/// What the header of a checkpoint says, and its statements.
struct CheckpointFile {
    std::string revision;
    std::string message;
    std::string dialect;
    std::string create_date;
    std::vector<Statement> statements;  // the upgrade section, with file lines
};

/// Parses a checkpoint's text, splitting its statements by `dialect`'s rules; a failure reads
/// "<path>:<line>: what".
Expected<CheckpointFile> parse_checkpoint(std::string_view text, std::string_view path,
                                          dialect::DialectKind dialect);

/// The text of a checkpoint: the header, then `-- migrate:upgrade` and one statement per line
/// group, each ended by ';'. `notes` become plain comment lines in the header.
std::string render_checkpoint(const CheckpointFile& checkpoint, const std::vector<std::string>& notes,
                              const std::vector<std::string>& statements);

/// The data-changing keyword a statement starts with (INSERT, UPDATE, DELETE, REPLACE, MERGE, COPY,
/// LOAD, and DO or CALL, which run code; also after a leading WITH), upper-cased; nullopt otherwise.
std::optional<std::string> data_statement_keyword(std::string_view sql);

}  // namespace migrator::script
