#include <catch2/catch.hpp>

#include "runtime/checkpoint_image.hpp"
#include "schema_builders.hpp"
#include "script/checkpoint_file.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using migrator::runtime::checkpoint_image_path;
using migrator::runtime::restore_checkpoint_image;
using migrator::runtime::stale_checkpoint_images;
using migrator::runtime::write_checkpoint_image;

namespace {

const std::string text =
    "-- checkpoint: 000000000003\n\n-- migrate:upgrade\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n"
    "CREATE INDEX ix_users ON users (id);\n";

std::vector<migrator::script::Statement> statements_of(const std::string& script) {
    return migrator::script::parse_checkpoint(script, "c.sql", migrator::dialect::DialectKind::Sqlite)
        .value_or_throw()
        .statements;
}

std::vector<std::optional<std::string>> column(const fs::path& file, const std::string& sql) {
    return test::open_database("sqlite:///" + file.string())->query_column(sql);
}

}  // namespace

TEST_CASE("an image is named after the exact text of its script", "[checkpoint_image]") {
    const fs::path script = "/p/checkpoints/000000000003_sqlite.sql";
    const auto image = checkpoint_image_path(script, text);
    CHECK(image.parent_path() == script.parent_path());
    CHECK(image.filename().string().starts_with("000000000003_sqlite.sql."));
    CHECK(image.extension() == ".sqlite");
    CHECK(checkpoint_image_path(script, text + " ") != image);
}

TEST_CASE("an image gives what running the checkpoint gives, and only where it fits", "[checkpoint_image]") {
    const test::TempDir dir;
    const auto script = dir.path() / "000000000003_sqlite.sql";
    dir.write(script.filename(), text);
    const auto image = checkpoint_image_path(script, text);
    write_checkpoint_image(image, statements_of(text), "000000000003", {"", "migrator_version"},
                           script.string());
    REQUIRE(fs::exists(image));
    CHECK(column(image, "SELECT version_num FROM migrator_version") ==
          std::vector<std::optional<std::string>>{"000000000003"});
    // No temporary file is left, and an existing image is never overwritten.
    CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 2);
    CHECK_THROWS_WITH(write_checkpoint_image(image, statements_of(text), "000000000003",
                                             {"", "migrator_version"}, script.string()),
                      Catch::Contains("already exists"));

    const auto restored = dir.path() / "restored.db";
    {
        const auto target = test::open_database("sqlite:///" + restored.string());
        CHECK(restore_checkpoint_image(*target, image, "000000000003", {"", "migrator_version"}));
    }
    const auto catalog = "SELECT type, name, sql FROM sqlite_master ORDER BY name";
    CHECK(column(restored, catalog) == column(image, catalog));
    CHECK(column(restored, "SELECT version_num FROM migrator_version") ==
          std::vector<std::optional<std::string>>{"000000000003"});

    SECTION("another version table, another revision or a schema: not used") {
        const auto target = test::open_database("sqlite:///" + (dir.path() / "a.db").string());
        CHECK_FALSE(restore_checkpoint_image(*target, image, "000000000003", {"", "alembic_version"}));
        CHECK_FALSE(restore_checkpoint_image(*target, image, "000000000004", {"", "migrator_version"}));
        CHECK_FALSE(restore_checkpoint_image(*target, image, "000000000003", {"main", "migrator_version"}));
        CHECK(target->query_column("SELECT count(*) FROM sqlite_master") ==
              std::vector<std::optional<std::string>>{"0"});
    }
    SECTION("a database holding anything, or another page size: not used, left as it was") {
        const auto target = test::open_database("sqlite:///" + (dir.path() / "b.db").string());
        target->execute("PRAGMA page_size = 8192");
        CHECK_FALSE(restore_checkpoint_image(*target, image, "000000000003", {"", "migrator_version"}));
        target->execute("CREATE TABLE kept (id INTEGER)");
        CHECK_FALSE(restore_checkpoint_image(*target, image, "000000000003", {"", "migrator_version"}));
        CHECK(target->query_column("SELECT name FROM sqlite_master") ==
              std::vector<std::optional<std::string>>{"kept"});
    }
    SECTION("a missing image or one that is no database: not used") {
        const auto target = test::open_database("sqlite:///" + (dir.path() / "c.db").string());
        CHECK_FALSE(restore_checkpoint_image(*target, dir.path() / "missing.sqlite", "000000000003",
                                             {"", "migrator_version"}));
        dir.write("junk.sqlite", std::string(4096, 'x'));
        CHECK_FALSE(restore_checkpoint_image(*target, dir.path() / "junk.sqlite", "000000000003",
                                             {"", "migrator_version"}));
    }
    SECTION("the images of earlier texts are stale") {
        CHECK(stale_checkpoint_images(script, text).empty());
        CHECK(stale_checkpoint_images(script, text + "-- edited\n") == std::vector<fs::path>{image});
    }
}
