# fish completion for migrator (installed as share/fish/vendor_completions.d/migrator.fish).
# Commands, options and revisions come from the hidden `migrator __complete`, so they follow the binary
# and the project; -c/--config and -n/--name typed on the line choose the project, as they would when run.

function __migrator_candidates
    set -l tokens (commandline -opc)
    set -l cur (commandline -ct)
    set -l program $tokens[1]
    set -l command ''
    set -l project
    set -l i 2
    while test $i -le (count $tokens)
        set -l word $tokens[$i]
        switch $word
            case -c --config -n --name
                set i (math $i + 1)
                set -a project $word $tokens[$i]
            case '--config=*' '--name=*'
                set -a project $word
            case -x --url --lock-timeout --wait-timeout
                set i (math $i + 1)
            case '-*'
            case '*'
                test -z "$command"; and set command $word
        end
        set i (math $i + 1)
    end
    set -l prev $tokens[-1]
    if string match -q -- '-*' $prev; and contains -- $prev ($program __complete valued $command 2>/dev/null)
        switch $prev
            case -c --config
                __fish_complete_path $cur
            case --head --depends-on -r --revision --rev-range
                $program $project __complete revisions 2>/dev/null
        end
    else if string match -q -- '-*' $cur
        $program __complete options $command 2>/dev/null
    else if test -z "$command"
        $program __complete commands 2>/dev/null
    else if contains -- $command upgrade downgrade stamp show edit merge squash
        $program $project __complete revisions 2>/dev/null
    end
end

complete -c migrator -f -a '(__migrator_candidates)'
