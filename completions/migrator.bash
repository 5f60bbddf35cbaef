# bash completion for migrator (installed as share/bash-completion/completions/migrator).
# Commands, options and revisions come from the hidden `migrator __complete`, so they follow the binary
# and the project; -c/--config and -n/--name typed on the line choose the project, as they would when run.

_migrator() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local program=${COMP_WORDS[0]} command="" word i
    local -a project=()
    for ((i = 1; i < COMP_CWORD; i++)); do
        word=${COMP_WORDS[i]}
        case $word in
            -c | --config | -n | --name) project+=("$word" "${COMP_WORDS[i + 1]}") && ((i++)) ;;
            --config=* | --name=*) project+=("$word") ;;
            -x | --url | --lock-timeout | --wait-timeout) ((i++)) ;;
            -*) ;;
            *) [[ -z $command ]] && command=$word ;;
        esac
    done

    local words=""
    if [[ $prev == -* ]] && "$program" __complete valued "$command" 2>/dev/null | grep -qxF -- "$prev"; then
        case $prev in
            -c | --config) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
            --head | --depends-on | -r | --revision | --rev-range)
                words=$("$program" "${project[@]}" __complete revisions 2>/dev/null) ;;
        esac
    elif [[ $cur == -* ]]; then
        words=$("$program" __complete options "$command" 2>/dev/null)
    elif [[ -z $command ]]; then
        words=$("$program" __complete commands 2>/dev/null)
    else
        case $command in
            upgrade | downgrade | stamp | show | edit | merge | squash)
                words=$("$program" "${project[@]}" __complete revisions 2>/dev/null) ;;
        esac
    fi
    [[ -n $words ]] && mapfile -t COMPREPLY < <(compgen -W "$words" -- "$cur")
    return 0
}
complete -F _migrator migrator
