#include "script/memory_script_files.hpp"

#include <fmt/format.h>

#include "util/error.hpp"

namespace migrator::script {

namespace {

std::string key_of(const std::filesystem::path& path) {
    auto normal = path.lexically_normal().string();
    if (normal.size() > 1 && normal.back() == '/') normal.pop_back();
    return normal == "." ? std::string() : normal;
}

}  // namespace

void MemoryScriptFiles::add(const std::filesystem::path& path, std::string_view text) {
    files_[key_of(path)] = text;
}

void MemoryScriptFiles::add_directory(const std::filesystem::path& dir) {
    directories_.insert(key_of(dir));
}

std::vector<std::filesystem::path> MemoryScriptFiles::list_sql_files(const std::filesystem::path& dir) const {
    const auto wanted = key_of(dir);
    std::vector<std::filesystem::path> found;
    bool any = directories_.count(wanted) > 0;
    for (const auto& [name, text] : files_) {
        const std::filesystem::path path(name);
        if (key_of(path.parent_path()) != wanted) continue;
        any = true;
        if (is_script_file_name(path.filename().string())) found.push_back(path);
    }
    if (!any) throw Error(fmt::format("version directory '{}' does not exist", dir.string()));
    return found;
}

Expected<std::string> MemoryScriptFiles::read(const std::filesystem::path& file) const {
    const auto found = files_.find(key_of(file));
    if (found == files_.end()) return fail(fmt::format("{}: cannot open: no such script", file.string()));
    return std::string(found->second);
}

}  // namespace migrator::script
