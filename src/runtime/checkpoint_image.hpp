#pragma once
// A SQLite checkpoint's database image: the database that running the checkpoint on an empty file gives,
// version table included, stored beside the script under the script's digest. Copying it in costs one
// pass over its pages, where running the script costs SQLite a re-read of its schema after each table.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "db/connection.hpp"
#include "dialect/dialect.hpp"
#include "script/script.hpp"

namespace migrator::runtime {

/// "<script>.<SHA-256 of script_text>.sqlite" beside `script`: an edited script names another image.
std::filesystem::path checkpoint_image_path(const std::filesystem::path& script,
                                            std::string_view script_text);

/// The images beside `script` named after another text of it (left over from an edit).
std::vector<std::filesystem::path> stale_checkpoint_images(const std::filesystem::path& script,
                                                           std::string_view script_text);

/// Where the version table lives, as the configuration says.
struct VersionTableName {
    std::string schema;
    std::string table;
};

/// Writes the image of a SQLite checkpoint: runs `statements` and records `revision` on a new file
/// exactly as `upgrade` runs the checkpoint (apply_checkpoint), then moves it to `image`, which must not
/// exist yet. Throws Error naming the image on failure, leaving no file behind.
void write_checkpoint_image(const std::filesystem::path& image,
                            const std::vector<script::Statement>& statements, std::string_view revision,
                            const VersionTableName& version_table, std::string_view script_path);

/// Copies `image` into `target`, a SQLite database without any table, index, view or trigger, when it
/// holds what running the checkpoint would give there: `version_table` (no schema) with the one row
/// `revision`, and the page size, text encoding and auto-vacuum mode `target` has. Returns false,
/// leaving `target` untouched and saying why at info level, when the image is missing or does not fit.
/// Throws Error when the copy itself fails.
bool restore_checkpoint_image(db::Connection& target, const std::filesystem::path& image,
                              std::string_view revision, const VersionTableName& version_table);

}  // namespace migrator::runtime
