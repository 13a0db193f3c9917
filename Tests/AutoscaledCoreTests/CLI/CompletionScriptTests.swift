@testable import AutoscaledCore
import Testing

struct CompletionScriptTests {
    @Test("every script offers every subcommand and every option of it", arguments: CompletionShell.allCases)
    func everySubcommandAndOption(_ shell: CompletionShell) {
        let script = CompletionScript.text(for: shell)
        for spec in Command.specs {
            for word in spec.name.split(separator: " ") {
                #expect(script.contains(String(word)), "\(shell): subcommand \(spec.name) missing")
            }
            for option in spec.options {
                let word = shell == .fish ? "-l \(option.name)" : "--\(option.name)"
                #expect(script.contains(word), "\(shell): \(spec.name) --\(option.name) missing")
            }
            for value in spec.argument?.values ?? [] {
                #expect(script.contains(value), "\(shell): \(spec.name) <\(value)> missing")
            }
        }
    }

    @Test("a subcommand added to the spec shows up in every script", arguments: CompletionShell.allCases)
    func derivedFromTheSpec(_ shell: CompletionShell) {
        let extra = CommandSpec(name: "frobnicate", overview: "Frobnicate: it's new [beta].", options: [
            OptionSpec("widget-file", value: "file", help: "A file.", files: true),
        ])
        let script = CompletionScript.text(for: shell, specs: Command.specs + [extra])
        #expect(script.contains("frobnicate"))
        #expect(script.contains(shell == .fish ? "-l widget-file" : "--widget-file"))
    }

    @Test("options that name a file complete file names, the others do not")
    func filesOnlyWhereAFileIsNamed() {
        let bash = CompletionScript.text(for: .bash)
        #expect(bash.contains("    --config)\n            compopt -o filenames"))
        #expect(bash.contains("    --config | --trace | --csv | --svg)\n            compopt -o filenames"))
        #expect(bash.contains("    --capacity | --startup-delay | --initial | --min | --max | --policy | --target)\n            return"))
        let zsh = CompletionScript.text(for: .zsh)
        #expect(zsh.contains("'--config=[The config file.]:path:_files'"))
        #expect(zsh.contains("'--capacity=[Requests/s one replica serves at load 100 (offered load), at least 1e-6.]:rps: '"))
        let fish = CompletionScript.text(for: .fish)
        #expect(fish.contains("complete -c autoscaled -n '__fish_seen_subcommand_from run; and not __fish_seen_subcommand_from help' -l config -r -F -d 'The config file.'"))
        #expect(fish.contains("-l capacity -x"))
    }

    @Test("every script offers help first, a group's subcommand after help, and one shell only")
    func asTheParserTakesThem() {
        let bash = CompletionScript.text(for: .bash)
        #expect(bash.contains(" help --help --version\" -- \"$cur\""))
        #expect(bash.contains("elif [[ $COMP_CWORD -eq 3 && ${COMP_WORDS[2]} == history ]]; then\n"
            + "            COMPREPLY=($(compgen -W \"export\" -- \"$cur\"))"))
        #expect(bash.contains("[[ \" bash zsh fish \" == *\" $word \"* ]] && values="))
        let zsh = CompletionScript.text(for: .zsh)
        #expect(zsh.contains("commands=($subcommands 'help:Show help for a subcommand.')"))
        #expect(zsh.contains("elif (( CURRENT == 3 )) && [[ $words[2] == history ]]; then\n            compadd -- export"))
        let fish = CompletionScript.text(for: .fish)
        #expect(fish.contains("-n '__fish_seen_subcommand_from completion; and not __fish_seen_subcommand_from help bash zsh fish' "
            + "-a 'bash zsh fish'"))
    }

    @Test("quotes and brackets in help text cannot break out of the quoting")
    func quoting() {
        #expect(CompletionScript.zshQuoted("it's") == #"'it'\''s'"#)
        #expect(CompletionScript.zshBracketed("a [b]: c") == #"a \[b\]\: c"#)
        #expect(CompletionScript.fishQuoted(#"it's a\b"#) == #"'it\'s a\\b'"#)
    }
}
