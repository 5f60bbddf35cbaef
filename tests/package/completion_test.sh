#!/usr/bin/env bash
# The bash completion function run as bash runs it on TAB (COMP_WORDS/COMP_CWORD set, COMPREPLY read),
# against the built binary and a real project; the zsh and fish scripts are parsed by their shells.
# Usage: completion_test.sh SOURCE_DIR BINARY
set -euo pipefail
source_dir=$1
binary=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/bin"
ln -s "$binary" "$work/bin/migrator"
export PATH="$work/bin:$PATH"
unset MIGRATOR_CONFIG DATABASE_URL

failures=0
# complete WORDS... : the words before the cursor, the last one being completed; prints COMPREPLY.
complete_line() {
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _migrator; echo "${COMPREPLY[*]}"' \
        _ "$source_dir/completions/migrator.bash" "$@"
}
expect() {  # expect "LINE" "EXPECTED": the sorted replies equal EXPECTED; a trailing space starts a new word
    local got words
    read -ra words <<<"$1"
    [[ $1 == *" " ]] && words+=("")
    got=$(complete_line "${words[@]}" | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//')
    if [[ $got != "$2" ]]; then
        echo "FAIL: '$1' completed to '$got', expected '$2'"
        failures=$((failures + 1))
    fi
}

cd "$work"
migrator init migrations >/dev/null 2>&1
migrator revision -m one --rev-id aaa111 >/dev/null 2>&1
migrator revision -m two --rev-id bbb222 --branch-label feature >/dev/null 2>&1
mkdir other && (cd other && migrator init migrations >/dev/null 2>&1 && migrator revision -m x --rev-id ccc333 >/dev/null 2>&1)

revisions="aaa111 base bbb222 feature feature@head head heads"
expect "migrator up" "upgrade"
expect "migrator -q st" "stamp status"
expect "migrator upgrade --no-" "--no-checkpoint --no-verify"
expect "migrator heads --re" "--resolve-dependencies"
expect "migrator --qu" "--quiet"
expect "migrator upgrade " "$revisions"
expect "migrator downgrade -q " "$revisions"
expect "migrator upgrade fe" "feature feature@head"
expect "migrator revision --head " "$revisions"
expect "migrator upgrade --tag " ""
expect "migrator -c other/migrator.yaml upgrade " "base ccc333 head heads"
expect "migrator --config other/migrator.yaml stamp c" "ccc333"
expect "migrator current " ""
expect "migrator -c oth" "other"
expect "migrator __compl" ""

help=$(migrator --help)
if [[ $help == *__complete* ]]; then
    echo "FAIL: __complete appears in --help"
    failures=$((failures + 1))
fi
# fish answers `complete -C LINE` without a terminal; zsh's completion system needs one, so its script is
# only parsed.
fish_expect() {  # fish_expect "LINE" "EXPECTED"
    local got
    got=$(fish -c 'source $argv[1]; complete -C $argv[2]' "$source_dir/completions/migrator.fish" "$1" |
        cut -f1 | sort | tr '\n' ' ' | sed 's/ $//')
    if [[ $got != "$2" ]]; then
        echo "FAIL: fish completed '$1' to '$got', expected '$2'"
        failures=$((failures + 1))
    fi
}
fish_expect "migrator up" "upgrade"
fish_expect "migrator upgrade --no" "--no-checkpoint --no-verify"
fish_expect "migrator upgrade fe" "feature feature@head"
fish_expect "migrator -c other/migrator.yaml stamp " "base ccc333 head heads"
fish_expect "migrator upgrade --tag " ""
zsh -n "$source_dir/completions/_migrator" || { echo "FAIL: zsh cannot parse _migrator"; failures=$((failures + 1)); }

[[ $failures -eq 0 ]] && echo "completion: all cases passed"
exit $((failures > 0))
