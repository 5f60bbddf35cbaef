#!/usr/bin/env bash
# CPack's Debian packages: built from the build tree, their metadata and contents read with dpkg-deb, and the
# packaged binary and man page used from an extracted tree.
# Usage: deb_test.sh BUILD_DIR VERSION
set -euo pipefail
build_dir=$1
version=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$work" >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log"; fail "cpack"; }
arch=$(dpkg --print-architecture)
cli="$work/migrator_${version}_${arch}.deb"
dev="$work/libmigrator-dev_${version}_${arch}.deb"
[[ -f $cli && -f $dev ]] || { ls "$work"; fail "expected $(basename "$cli") and $(basename "$dev")"; }

field() { dpkg-deb -f "$1" "$2"; }
[[ $(field "$cli" Package) == migrator && $(field "$cli" Version) == "$version" ]] || fail "migrator's name/version"
# shlibdeps: the shared libraries the binary links, found by dpkg-shlibdeps.
depends=$(field "$cli" Depends)
for library in libc6 libsoci-core libsqlite3 libyaml-cpp; do
    [[ $depends == *"$library"* ]] || fail "migrator's Depends lacks $library: $depends"
done
[[ $(field "$cli" Recommends) == *libsoci-postgresql* ]] || fail "migrator does not recommend SOCI's PostgreSQL backend"
[[ $(field "$dev" Package) == libmigrator-dev && $(field "$dev" Depends) == *libsoci-dev* ]] ||
    fail "libmigrator-dev's name/Depends"
[[ $(dpkg-deb -I "$cli") == *"Description: Schema migrations"* ]] || fail "migrator's description"

dpkg-deb -c "$cli" | awk '{print $6}' >"$work/cli.txt"
dpkg-deb -c "$dev" | awk '{print $6}' >"$work/dev.txt"
for path in ./usr/bin/migrator ./usr/share/man/man1/migrator.1.gz ./usr/share/bash-completion/completions/migrator \
    ./usr/share/zsh/vendor-completions/_migrator ./usr/share/fish/vendor_completions.d/migrator.fish \
    ./usr/share/doc/migrator/copyright ./usr/share/doc/migrator/commands.md; do
    grep -qxF "$path" "$work/cli.txt" || fail "migrator lacks $path"
done
for path in ./usr/lib/libmigrator.a ./usr/include/migrator/migrator.hpp ./usr/lib/cmake/migrator/migratorConfig.cmake \
    ./usr/lib/cmake/migrator/migratorConfigVersion.cmake ./usr/lib/cmake/migrator/migratorTargets.cmake \
    ./usr/share/doc/libmigrator-dev/copyright; do
    grep -qxF "$path" "$work/dev.txt" || fail "libmigrator-dev lacks $path"
done
! grep -q "^./usr/include\|\.a$" "$work/cli.txt" || fail "migrator holds development files"
# Only the public API is installed; internal headers stay in the source tree.
headers=$(grep '^./usr/include/.*\.hpp$' "$work/dev.txt" | sort | tr '\n' ' ')
[[ $headers == "./usr/include/migrator/error.hpp ./usr/include/migrator/migrator.hpp ./usr/include/migrator/results.hpp " ]] ||
    fail "libmigrator-dev installs other headers than the public API: $headers"
! grep -q "^./usr/bin" "$work/dev.txt" || fail "libmigrator-dev holds the binary"

# The packaged binary, run from the extracted tree on a SQLite project.
dpkg-deb -x "$cli" "$work/root"
binary="$work/root/usr/bin/migrator"
[[ $("$binary" --version) == "$version" ]] || fail "the packaged binary's --version"
mkdir "$work/project" && cd "$work/project"
unset MIGRATOR_CONFIG DATABASE_URL
"$binary" init migrations >/dev/null 2>&1 || fail "init"
"$binary" revision -m one --rev-id aaa111 >/dev/null 2>&1 || fail "revision"
"$binary" upgrade head 2>/dev/null || fail "upgrade head"
[[ $("$binary" current 2>/dev/null) == "aaa111 (head)" ]] || fail "current"

# The man page: man reads it, and it holds every command's --help.
page=$(MANWIDTH=120 man -l "$work/root/usr/share/man/man1/migrator.1.gz" 2>"$work/man.err")
[[ ! -s $work/man.err ]] || { cat "$work/man.err"; fail "man warned"; }
[[ $page == *"migrator - versioned schema migrations"* ]] || fail "the man page's NAME"
for command in $("$binary" __complete commands); do
    grep -q "^   $command\$" <<<"$page" || fail "the man page has no section for $command"
done
grep -q -- "--no-checkpoint" <<<"$page" || fail "the man page lacks upgrade's options"
echo "deb: packages built, inspected and run"
