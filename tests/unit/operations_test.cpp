#include <catch2/catch.hpp>

#include "schema/operations.hpp"
#include "schema_builders.hpp"

using namespace migrator::schema;
using namespace test;

namespace {

const ForeignKey fk{"fk_orders_user_id_users",  {"user_id"}, "users", {"id"}, ReferentialAction::Cascade,
                    ReferentialAction::NoAction};

}  // namespace

TEST_CASE("invert pairs every operation with its exact opposite", "[operations]") {
    Column text_email = column("email", type(TypeKind::Text), Nullability::NotNull);
    text_email.server_default = "''";
    const std::vector<std::pair<Operation, Operation>> pairs = {
        {CreateTable{users()}, DropTable{users()}},
        {AddColumn{table_name("users"), column("age", type(TypeKind::SmallInt))},
         DropColumn{table_name("users"), column("age", type(TypeKind::SmallInt))}},
        {AlterColumn{table_name("users"), column("email", type(TypeKind::String)), text_email},
         AlterColumn{table_name("users"), text_email, column("email", type(TypeKind::String))}},
        {AlterPrimaryKey{table_name("users"), std::nullopt, PrimaryKey{"pk", {"id"}}},
         AlterPrimaryKey{table_name("users"), PrimaryKey{"pk", {"id"}}, std::nullopt}},
        {CreateIndex{table_name("users"), Index{"ix_users_email", {"email"}, IndexKind::Unique, {}, {}}},
         DropIndex{table_name("users"), Index{"ix_users_email", {"email"}, IndexKind::Unique, {}, {}}}},
        {AddUnique{table_name("users"), UniqueConstraint{"uq_users_email", {"email"}}},
         DropUnique{table_name("users"), UniqueConstraint{"uq_users_email", {"email"}}}},
        {AddForeignKey{table_name("orders"), fk}, DropForeignKey{table_name("orders"), fk}},
        {AddCheck{table_name("users"), CheckConstraint{"ck_users_1", "id > 0"}},
         DropCheck{table_name("users"), CheckConstraint{"ck_users_1", "id > 0"}}},
        {AlterTableComment{table_name("users"), std::nullopt, "people"},
         AlterTableComment{table_name("users"), "people", std::nullopt}},
        {AlterTableCollation{table_name("users"), "latin1_swedish_ci", "utf8mb4_bin"},
         AlterTableCollation{table_name("users"), "utf8mb4_bin", "latin1_swedish_ci"}},
        {CreateSequence{Sequence{"users_seq"}}, DropSequence{Sequence{"users_seq"}}},
        {AlterTableOptions{table_name("users"), "ENGINE=InnoDB", "ENGINE=Aria"},
         AlterTableOptions{table_name("users"), "ENGINE=Aria", "ENGINE=InnoDB"}},
        {AlterSequence{Sequence{"users_seq"}, Sequence{"users_seq", "integer"}},
         AlterSequence{Sequence{"users_seq", "integer"}, Sequence{"users_seq"}}},
        {CreateEnumType{EnumType{"mood", {"sad"}}}, DropEnumType{EnumType{"mood", {"sad"}}}},
        {AlterEnumType{EnumType{"mood", {"sad"}},
                       EnumType{"mood", {"sad", "ok"}},
                       {{"moods", "feeling", EnumColumnShape::Scalar, std::nullopt}}},
         AlterEnumType{EnumType{"mood", {"sad", "ok"}},
                       EnumType{"mood", {"sad"}},
                       {{"moods", "feeling", EnumColumnShape::Scalar, std::nullopt}}}},
    };
    for (const auto& [operation, opposite] : pairs) {
        CAPTURE(describe(operation));
        CHECK(invert(operation) == opposite);
        CHECK(invert(opposite) == operation);
        CHECK(table_of(operation) == table_of(opposite));
    }
}

TEST_CASE("inverting a list reverses it and drops the review notes", "[operations]") {
    const std::vector<PlannedOperation> upgrade = {
        {CreateTable{users()}, {}},
        {AddColumn{table_name("users"), column("age", type(TypeKind::Integer), Nullability::NotNull)},
         {"fails if users has rows"}},
    };
    const std::vector<PlannedOperation> downgrade = invert(upgrade);
    REQUIRE(downgrade.size() == 2);
    CHECK(downgrade[0] ==
          PlannedOperation{
              DropColumn{table_name("users"), column("age", type(TypeKind::Integer), Nullability::NotNull)},
              {}});
    CHECK(downgrade[1] == PlannedOperation{DropTable{users()}, {}});
    CHECK(invert(downgrade) ==
          std::vector<PlannedOperation>{{upgrade[0].operation, {}}, {upgrade[1].operation, {}}});
}

TEST_CASE("describe gives one line naming the table and what changes", "[operations]") {
    Column wide = column("email", type(TypeKind::Text), Nullability::NotNull);
    wide.server_default = "''";
    const std::vector<std::pair<Operation, std::string>> cases = {
        {CreateTable{users()}, "create table users"},
        {DropTable{users()}, "drop table users"},
        {AddColumn{table_name("users"), column("email", type(TypeKind::String))}, "add column users.email"},
        {DropColumn{table_name("users"), column("email", type(TypeKind::String))}, "drop column users.email"},
        {AlterColumn{table_name("users"), column("email", type(TypeKind::String)), wide},
         "alter column users.email (type string -> text, nullable -> not null, default none -> '')"},
        {AlterPrimaryKey{table_name("users"), PrimaryKey{"pk", {"id"}}, PrimaryKey{"pk", {"id", "org"}}},
         "alter primary key of users: (id) -> (id, org)"},
        {CreateIndex{table_name("users"), Index{"ix_users_email", {"email"}, IndexKind::Plain, {}, {}}},
         "create index ix_users_email on users(email)"},
        {DropIndex{table_name("users"), Index{"ix_users_email", {"email"}, IndexKind::Unique, {}, {}}},
         "drop index ix_users_email on users"},
        {AddUnique{table_name("users"), UniqueConstraint{"uq_users_email", {"email"}}},
         "add unique constraint uq_users_email on users(email)"},
        {DropForeignKey{table_name("orders"), fk},
         "drop foreign key fk_orders_user_id_users on orders(user_id) -> users(id)"},
        {AddCheck{table_name("users"), CheckConstraint{"ck_users_1", "id > 0"}},
         "add check ck_users_1 on users"},
        {AlterTableComment{table_name("users"), std::nullopt, "people"}, "alter comment of table users"},
        {AlterTableCollation{table_name("users"), "latin1_swedish_ci", "utf8mb4_bin"},
         "alter collation of table users (latin1_swedish_ci -> utf8mb4_bin)"},
        {CreateSequence{Sequence{"users_seq"}}, "create sequence users_seq"},
        {AlterSequence{Sequence{"users_seq"}, Sequence{"users_seq", "integer"}}, "alter sequence users_seq"},
        {DropEnumType{EnumType{"mood", {"sad"}}}, "drop enum type mood"},
        {AlterEnumType{EnumType{"mood", {"sad", "ok"}}, EnumType{"mood", {"ok"}}, {}},
         "alter enum type mood (made again: 'ok')"},
    };
    for (const auto& [operation, text] : cases) CHECK(describe(operation) == text);
}

TEST_CASE("table_of names the table of every kind of operation", "[operations]") {
    CHECK(table_of(CreateTable{users()}) == "users");
    CHECK(table_of(DropTable{users()}) == "users");
    CHECK(table_of(AddForeignKey{table_name("orders"), fk}) == "orders");
    CHECK(table_of(AlterTableComment{table_name("audit"), std::nullopt, std::nullopt}) == "audit");
    CHECK(table_of(DropSequence{Sequence{"audit_seq"}}) == "audit_seq");
}
