#include "runtime/checkpoint_image.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <memory>
#include <optional>
#include <system_error>

#include "db/connect.hpp"
#include "runtime/checkpoint_plan.hpp"
#include "runtime/version_table.hpp"
#include "script/checksum.hpp"
#include "util/error.hpp"
#include "util/log.hpp"

namespace migrator::runtime {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view image_extension = ".sqlite";
constexpr std::size_t digest_length = 64;

std::unique_ptr<db::Connection> open_sqlite(const fs::path& file) {
    config::DatabaseUrl url;
    url.dialect = dialect::DialectKind::Sqlite;
    url.scheme = "sqlite";
    url.database = file.string();
    return db::connect(url);
}

std::optional<std::string> single_value(db::Connection& connection, const std::string& sql) {
    const auto rows = connection.query_column(sql);
    if (rows.size() != 1 || !rows.front()) return std::nullopt;
    return rows.front();
}

// What a file's header fixes before the first table, and what the backup would carry over into the
// target: copying an image that differs here would not give what running the script gives.
constexpr std::array<std::string_view, 5> file_settings = {"page_size", "encoding", "auto_vacuum",
                                                           "user_version", "application_id"};

// Why `image` cannot stand for running the checkpoint on `target`; nullopt when it can.
std::optional<std::string> mismatch(db::Connection& target, db::Connection& image, std::string_view revision,
                                    const VersionTableName& version_table) {
    if (single_value(target, "SELECT count(*) FROM sqlite_master") != "0")
        return "the database already holds tables or other objects";
    for (const auto setting : file_settings) {
        const auto sql = fmt::format("PRAGMA {}", setting);
        const auto wanted = single_value(target, sql);
        const auto found = single_value(image, sql);
        if (wanted != found) {
            return fmt::format("its {} is {}, the database's {}", setting, found.value_or("unknown"),
                               wanted.value_or("unknown"));
        }
    }
    const auto& dialect = dialect::dialect_for(dialect::DialectKind::Sqlite);
    if (single_value(image,
                     fmt::format("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = {}",
                                 dialect.quote_literal(version_table.table))) != "1") {
        return fmt::format("it has no version table {}", version_table.table);
    }
    const auto rows = image.query_column(
        fmt::format("SELECT version_num FROM {}", dialect.quote_identifier(version_table.table)));
    if (rows.size() != 1 || rows.front() != std::string(revision))
        return fmt::format("its version table {} does not hold exactly {}", version_table.table, revision);
    return std::nullopt;
}

}  // namespace

fs::path checkpoint_image_path(const fs::path& script, std::string_view script_text) {
    auto path = script;
    path += fmt::format(".{}{}", script::sha256_hex(script_text), image_extension);
    return path;
}

std::vector<fs::path> stale_checkpoint_images(const fs::path& script, std::string_view script_text) {
    std::vector<fs::path> stale;
    const auto current = checkpoint_image_path(script, script_text).filename().string();
    const auto prefix = script.filename().string() + ".";
    std::error_code error;
    for (fs::directory_iterator it(script.parent_path(), error), end; !error && it != end;
         it.increment(error)) {
        const auto name = it->path().filename().string();
        if (name.size() == prefix.size() + digest_length + image_extension.size() &&
            name.starts_with(prefix) && name.ends_with(image_extension) && name != current) {
            stale.push_back(it->path());
        }
    }
    return stale;
}

void write_checkpoint_image(const fs::path& image, const std::vector<script::Statement>& statements,
                            std::string_view revision, const VersionTableName& version_table,
                            std::string_view script_path) {
    std::error_code error;
    if (fs::exists(image, error)) throw Error(fmt::format("'{}' already exists", image.string()));
    fs::create_directories(image.parent_path(), error);
    if (error) {
        throw Error(fmt::format("cannot create '{}': {}", image.parent_path().string(), error.message()));
    }
    auto temporary = image;
    temporary += fmt::format(".{}.tmp", static_cast<long>(::getpid()));
    const auto remove_temporary = [&temporary] {
        std::error_code ignored;
        for (const char* suffix : {"", "-journal"}) fs::remove(temporary.string() + suffix, ignored);
    };
    remove_temporary();
    try {
        {
            const auto connection = open_sqlite(temporary);
            // The file's content does not depend on it; only a crash would, and the file is then discarded.
            connection->execute("PRAGMA synchronous = OFF");
            const auto& dialect = dialect::dialect_for(dialect::DialectKind::Sqlite);
            VersionTable versions(*connection, dialect, version_table.schema, version_table.table);
            apply_checkpoint(*connection, dialect, versions, statements, revision, script_path);
        }
        // link() fails when the image appeared meanwhile, where rename() would overwrite it.
        if (::link(temporary.c_str(), image.c_str()) != 0) {
            throw Error(fmt::format("cannot create '{}': {}", image.string(),
                                    std::error_code(errno, std::generic_category()).message()));
        }
    } catch (const std::exception& failure) {
        remove_temporary();
        throw Error(fmt::format("writing the database image {} failed: {}", image.string(), failure.what()));
    }
    remove_temporary();
}

bool restore_checkpoint_image(db::Connection& target, const fs::path& image, std::string_view revision,
                              const VersionTableName& version_table) {
    std::error_code error;
    if (!fs::is_regular_file(image, error)) {
        log::debug("checkpoint: no database image {}; running the script", image.string());
        return false;
    }
    if (!version_table.schema.empty()) {
        log::info(
            "checkpoint: not using the database image {}: the version table is in schema {}; running the "
            "script",
            image.string(), version_table.schema);
        return false;
    }
    std::optional<std::string> reason;
    try {
        const auto source = open_sqlite(image);
        reason = mismatch(target, *source, revision, version_table);
    } catch (const Error& failure) {
        reason = fmt::format("it cannot be read: {}", failure.what());
    }
    if (reason) {
        log::info("checkpoint: not using the database image {}: {}; running the script", image.string(),
                  *reason);
        return false;
    }
    target.restore_image(image.string());
    return true;
}

}  // namespace migrator::runtime
