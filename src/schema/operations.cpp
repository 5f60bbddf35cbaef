#include "schema/operations.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <type_traits>

namespace migrator::schema {

namespace {

template <class... Handlers>
struct Overloaded : Handlers... {
    using Handlers::operator()...;
};
template <class... Handlers>
Overloaded(Handlers...) -> Overloaded<Handlers...>;

std::string referred_table_text(const ForeignKey& key) {
    return TableName{key.referred_schema, key.referred_table}.text();
}

std::string columns_of(const std::vector<std::string>& columns) {
    return fmt::format("({})", fmt::join(columns, ", "));
}

// 'a', 'b': labels as written in SQL, without escaping (for reading, not for running).
std::string quoted_labels(const std::vector<std::string>& labels) {
    std::vector<std::string> quoted;
    quoted.reserve(labels.size());
    for (const auto& label : labels) quoted.push_back("'" + label + "'");
    return fmt::format("{}", fmt::join(quoted, ", "));
}

std::string describe_key(const std::optional<PrimaryKey>& key) {
    return key ? columns_of(key->columns) : std::string("none");
}

std::string describe_value(const std::optional<std::string>& value) {
    return value ? *value : std::string("none");
}

// "type string(50) -> text, not null -> nullable": only what changed.
std::string describe_changes(const Column& from, const Column& to) {
    std::vector<std::string> changes;
    if (from.type != to.type) {
        changes.push_back(fmt::format("type {} -> {}", describe_type(from.type), describe_type(to.type)));
    }
    if (from.nullability != to.nullability) {
        changes.emplace_back(to.nullability == Nullability::NotNull ? "nullable -> not null"
                                                                    : "not null -> nullable");
    }
    if (from.server_default != to.server_default) {
        changes.push_back(fmt::format("default {} -> {}", describe_value(from.server_default),
                                      describe_value(to.server_default)));
    }
    if (from.autoincrement != to.autoincrement) {
        changes.emplace_back(to.autoincrement != AutoIncrement::No ? "autoincrement added"
                                                                   : "autoincrement removed");
    }
    if (from.comment != to.comment) changes.emplace_back("comment");
    if (from.statistics_target != to.statistics_target) {
        const auto target = [](const std::optional<int>& value) {
            return value ? std::to_string(*value) : std::string("default");
        };
        changes.push_back(fmt::format("statistics target {} -> {}", target(from.statistics_target),
                                      target(to.statistics_target)));
    }
    if (from.generated != to.generated) {
        const auto generated = [](const std::optional<Generated>& value) {
            return value ? fmt::format("{} {}", value->expression,
                                       value->storage == GeneratedStorage::Stored ? "STORED" : "VIRTUAL")
                         : std::string("none");
        };
        changes.push_back(
            fmt::format("generated {} -> {}", generated(from.generated), generated(to.generated)));
    }
    if (from.collation != to.collation) {
        changes.push_back(fmt::format("collation {} -> {}", from.collation.value_or("default"),
                                      to.collation.value_or("default")));
    }
    return fmt::format("{}", fmt::join(changes, ", "));
}

std::string_view view_kind(const View& view) {
    return view.kind == ViewKind::Materialized ? "materialized view" : "view";
}

std::string_view routine_kind(const Routine& routine) {
    return routine.kind == RoutineKind::Procedure ? "procedure" : "function";
}

// "reset_hits()" where the signature tells overloads apart, else the bare name.
std::string routine_name(const Routine& routine) {
    return routine.signature.empty() ? routine.name : fmt::format("{}({})", routine.name, routine.signature);
}

}  // namespace

bool AlterEnumType::only_adds_labels() const {
    // ADD VALUE places a label anywhere, so a change is an addition when `from` is a subsequence of `to`.
    auto next = to.labels.begin();
    for (const auto& label : from.labels) {
        next = std::find(next, to.labels.end(), label);
        if (next == to.labels.end()) return false;
        ++next;
    }
    return true;
}

Operation invert(const Operation& operation) {
    return std::visit(Overloaded{
                          [](const CreateTable& op) -> Operation { return DropTable{op.table}; },
                          [](const DropTable& op) -> Operation { return CreateTable{op.table}; },
                          [](const AddColumn& op) -> Operation {
                              return DropColumn{op.table, op.column};
                          },
                          [](const DropColumn& op) -> Operation {
                              return AddColumn{op.table, op.column};
                          },
                          [](const AlterColumn& op) -> Operation {
                              return AlterColumn{op.table, op.to, op.from};
                          },
                          [](const AlterPrimaryKey& op) -> Operation {
                              return AlterPrimaryKey{op.table, op.to, op.from};
                          },
                          [](const CreateIndex& op) -> Operation {
                              return DropIndex{op.table, op.index};
                          },
                          [](const DropIndex& op) -> Operation {
                              return CreateIndex{op.table, op.index};
                          },
                          [](const AddUnique& op) -> Operation {
                              return DropUnique{op.table, op.constraint};
                          },
                          [](const DropUnique& op) -> Operation {
                              return AddUnique{op.table, op.constraint};
                          },
                          [](const AddForeignKey& op) -> Operation {
                              return DropForeignKey{op.table, op.foreign_key};
                          },
                          [](const DropForeignKey& op) -> Operation {
                              return AddForeignKey{op.table, op.foreign_key};
                          },
                          [](const AddCheck& op) -> Operation {
                              return DropCheck{op.table, op.check};
                          },
                          [](const DropCheck& op) -> Operation {
                              return AddCheck{op.table, op.check};
                          },
                          [](const AlterTableComment& op) -> Operation {
                              return AlterTableComment{op.table, op.to, op.from};
                          },
                          [](const AlterTableCollation& op) -> Operation {
                              return AlterTableCollation{op.table, op.to, op.from};
                          },
                          [](const CreateSequence& op) -> Operation { return DropSequence{op.sequence}; },
                          [](const DropSequence& op) -> Operation { return CreateSequence{op.sequence}; },
                          [](const AlterSequence& op) -> Operation {
                              return AlterSequence{op.to, op.from};
                          },
                          [](const AlterTableOptions& op) -> Operation {
                              return AlterTableOptions{op.table, op.to, op.from};
                          },
                          [](const CreateEnumType& op) -> Operation { return DropEnumType{op.type}; },
                          [](const DropEnumType& op) -> Operation { return CreateEnumType{op.type}; },
                          [](const AlterEnumType& op) -> Operation {
                              return AlterEnumType{op.to, op.from, op.columns, op.set_aside_name};
                          },
                          [](const CreateView& op) -> Operation { return DropView{op.view}; },
                          [](const DropView& op) -> Operation { return CreateView{op.view}; },
                          [](const CreateRoutine& op) -> Operation { return DropRoutine{op.routine}; },
                          [](const DropRoutine& op) -> Operation { return CreateRoutine{op.routine}; },
                          [](const CreateTrigger& op) -> Operation { return DropTrigger{op.trigger}; },
                          [](const DropTrigger& op) -> Operation { return CreateTrigger{op.trigger}; },
                      },
                      operation);
}

std::vector<PlannedOperation> invert(const std::vector<PlannedOperation>& operations) {
    std::vector<PlannedOperation> inverted;
    inverted.reserve(operations.size());
    for (auto it = operations.rbegin(); it != operations.rend(); ++it) {
        inverted.push_back(PlannedOperation{invert(it->operation), {}});
    }
    return inverted;
}

std::string describe(const Operation& operation) {
    return std::visit(
        Overloaded{
            [](const CreateTable& op) { return "create table " + op.table.qualified_name().text(); },
            [](const DropTable& op) { return "drop table " + op.table.qualified_name().text(); },
            [](const AddColumn& op) {
                return fmt::format("add column {}.{}", op.table.text(), op.column.name);
            },
            [](const DropColumn& op) {
                return fmt::format("drop column {}.{}", op.table.text(), op.column.name);
            },
            [](const AlterColumn& op) {
                return fmt::format("alter column {}.{} ({})", op.table.text(), op.to.name,
                                   describe_changes(op.from, op.to));
            },
            [](const AlterPrimaryKey& op) {
                return fmt::format("alter primary key of {}: {} -> {}", op.table.text(),
                                   describe_key(op.from), describe_key(op.to));
            },
            [](const CreateIndex& op) {
                return fmt::format("create {}index {} on {}{}",
                                   op.index.kind == IndexKind::Unique ? "unique " : "", op.index.name,
                                   op.table.text(), columns_of(op.index.columns));
            },
            [](const DropIndex& op) {
                return fmt::format("drop index {} on {}", op.index.name, op.table.text());
            },
            [](const AddUnique& op) {
                return fmt::format("add unique constraint {} on {}{}", op.constraint.name, op.table.text(),
                                   columns_of(op.constraint.columns));
            },
            [](const DropUnique& op) {
                return fmt::format("drop unique constraint {} on {}{}", op.constraint.name, op.table.text(),
                                   columns_of(op.constraint.columns));
            },
            [](const AddForeignKey& op) {
                const auto& fk = op.foreign_key;
                return fmt::format("add foreign key {} on {}{} -> {}{}", fk.name, op.table.text(),
                                   columns_of(fk.columns), referred_table_text(fk),
                                   columns_of(fk.referred_columns));
            },
            [](const DropForeignKey& op) {
                const auto& fk = op.foreign_key;
                return fmt::format("drop foreign key {} on {}{} -> {}{}", fk.name, op.table.text(),
                                   columns_of(fk.columns), referred_table_text(fk),
                                   columns_of(fk.referred_columns));
            },
            [](const AddCheck& op) {
                return fmt::format("add check {} on {}", op.check.name, op.table.text());
            },
            [](const DropCheck& op) {
                return fmt::format("drop check {} on {}", op.check.name, op.table.text());
            },
            [](const AlterTableComment& op) { return "alter comment of table " + op.table.text(); },
            [](const CreateSequence& op) { return "create sequence " + op.sequence.name; },
            [](const DropSequence& op) { return "drop sequence " + op.sequence.name; },
            [](const AlterSequence& op) { return "alter sequence " + op.to.name; },
            [](const CreateEnumType& op) { return "create enum type " + op.type.name; },
            [](const DropEnumType& op) { return "drop enum type " + op.type.name; },
            [](const AlterEnumType& op) {
                if (!op.only_adds_labels()) {
                    return fmt::format("alter enum type {} (made again: {})", op.to.name,
                                       quoted_labels(op.to.labels));
                }
                std::vector<std::string> added;
                for (const auto& label : op.to.labels) {
                    if (std::find(op.from.labels.begin(), op.from.labels.end(), label) ==
                        op.from.labels.end())
                        added.push_back(label);
                }
                return fmt::format("alter enum type {} (add {})", op.to.name, quoted_labels(added));
            },
            [](const AlterTableOptions& op) {
                return fmt::format("alter options of table {} ({} -> {})", op.table.text(),
                                   op.from.value_or("default"), op.to.value_or("default"));
            },
            [](const AlterTableCollation& op) {
                return fmt::format("alter collation of table {} ({} -> {})", op.table.text(),
                                   op.from.value_or("default"), op.to.value_or("default"));
            },
            [](const CreateView& op) {
                return fmt::format("create {} {}", view_kind(op.view), op.view.name);
            },
            [](const DropView& op) { return fmt::format("drop {} {}", view_kind(op.view), op.view.name); },
            [](const CreateRoutine& op) {
                return fmt::format("create {} {}", routine_kind(op.routine), routine_name(op.routine));
            },
            [](const DropRoutine& op) {
                return fmt::format("drop {} {}", routine_kind(op.routine), routine_name(op.routine));
            },
            [](const CreateTrigger& op) {
                return fmt::format("create trigger {} on {}", op.trigger.name, op.trigger.table);
            },
            [](const DropTrigger& op) {
                return fmt::format("drop trigger {} on {}", op.trigger.name, op.trigger.table);
            },
        },
        operation);
}

std::string table_of(const Operation& operation) {
    return std::visit(
        [](const auto& op) -> std::string {
            using Op = std::decay_t<decltype(op)>;
            if constexpr (std::is_same_v<Op, CreateTable> || std::is_same_v<Op, DropTable>) {
                return op.table.qualified_name().text();
            } else if constexpr (std::is_same_v<Op, CreateView> || std::is_same_v<Op, DropView>) {
                return op.view.name;
            } else if constexpr (std::is_same_v<Op, CreateRoutine> || std::is_same_v<Op, DropRoutine>) {
                return op.routine.name;
            } else if constexpr (std::is_same_v<Op, CreateTrigger> || std::is_same_v<Op, DropTrigger>) {
                return op.trigger.name;
            } else if constexpr (std::is_same_v<Op, CreateSequence> || std::is_same_v<Op, DropSequence>) {
                return op.sequence.name;
            } else if constexpr (std::is_same_v<Op, CreateEnumType> || std::is_same_v<Op, DropEnumType>) {
                return op.type.name;
            } else if constexpr (std::is_same_v<Op, AlterSequence> || std::is_same_v<Op, AlterEnumType>) {
                return op.to.name;
            } else {
                return op.table.text();
            }
        },
        operation);
}

}  // namespace migrator::schema
