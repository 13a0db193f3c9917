@testable import AutoscaledCore
import Testing

struct CommandTemplateTests {
    struct SplitCase: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let words: [String]
        var testDescription: String { name }
    }

    @Test("words split as a shell splits them, without any expansion", arguments: [
        SplitCase(name: "spaces and tabs separate words", text: "/bin/a  b\tc ", words: ["/bin/a", "b", "c"]),
        SplitCase(name: "single quotes keep everything", text: #"/bin/a 'x "y" \z'"#, words: ["/bin/a", #"x "y" \z"#]),
        SplitCase(name: "double quotes keep everything but \\\" and \\\\",
                  text: #"/bin/a "it's \"q\" \\ \n""#, words: ["/bin/a", #"it's "q" \ \n"#]),
        SplitCase(name: "a backslash outside quotes escapes one character", text: #"/bin/a b\ c \'"#, words: ["/bin/a", "b c", "'"]),
        SplitCase(name: "quotes join text into one word", text: #"/bin/a --name="a b"'c d'"#, words: ["/bin/a", "--name=a bc d"]),
        SplitCase(name: "empty quotes are an empty argument", text: "/bin/a '' \"\"", words: ["/bin/a", "", ""]),
        SplitCase(name: "shell syntax is plain text",
                  text: "/bin/a ; rm -rf / && $(id) `id` | > < * ~ $HOME",
                  words: ["/bin/a", ";", "rm", "-rf", "/", "&&", "$(id)", "`id`", "|", ">", "<", "*", "~", "$HOME"]),
    ])
    func split(_ testCase: SplitCase) throws {
        let template = try CommandTemplate(parsing: testCase.text)
        #expect(template.arguments { _ in "?" } == testCase.words)
    }

    @Test("placeholders are replaced inside their own argument only, quoted or not")
    func placeholders() throws {
        let template = try CommandTemplate(parsing: #"/bin/a --replicas={replicas} '{previous} x;{direction}' "{replicas}{replicas}" {"n": {replicas}}"#)
        let arguments = template.arguments { placeholder in
            switch placeholder {
            case .replicas: "4"
            case .previous: "3"
            case .direction: "up"
            }
        }
        #expect(arguments == ["/bin/a", "--replicas=4", "3 x;up", "44", "{n:", "4}"])
    }

    @Test("a value is never re-read: text looking like a placeholder or a quote stays as it is")
    func valuesAreOpaque() throws {
        let template = try CommandTemplate(parsing: "/bin/a {replicas}")
        #expect(template.arguments { _ in "{previous} 'x' $(id)" } == ["/bin/a", "{previous} 'x' $(id)"])
    }

    @Test("braces around anything but a name are plain text")
    func plainBraces() throws {
        let template = try CommandTemplate(parsing: #"/bin/a {} { print } {1} '{"a":1}' '{ "replicas": 2 }' '{ replicas: 2 }'"#)
        #expect(template.arguments { _ in "?" }
            == ["/bin/a", "{}", "{", "print", "}", "{1}", #"{"a":1}"#, #"{ "replicas": 2 }"#, "{ replicas: 2 }"])
    }

    struct FaultCase: CustomTestStringConvertible, Sendable {
        let name: String
        let text: String
        let problem: String
        var testDescription: String { name }
    }

    @Test("unusable command lines are refused", arguments: [
        FaultCase(name: "an unterminated single quote", text: "/bin/a 'b", problem: "has an unterminated single quote"),
        FaultCase(name: "an unterminated double quote", text: #"/bin/a "b\""#, problem: "has an unterminated double quote"),
        FaultCase(name: "a lone backslash at the end", text: #"/bin/a b\"#, problem: "ends with a lone backslash"),
        FaultCase(name: "an unknown placeholder", text: "/bin/a {replica}", problem: "has an unknown placeholder {replica}"),
        FaultCase(name: "a shell variable in braces", text: "/bin/a ${HOME}", problem: "has an unknown placeholder {HOME}"),
        FaultCase(name: "an unterminated placeholder", text: "/bin/a --replicas={replicas", problem: "has an unterminated placeholder {replicas"),
        FaultCase(name: "an unterminated placeholder in quotes", text: "/bin/a '{previous' x", problem: "has an unterminated placeholder {previous"),
        FaultCase(name: "a placeholder in double braces", text: "/bin/a {{replicas}}", problem: "has {{replicas}}, which would pass the value with a brace"),
        FaultCase(name: "a stray brace before a placeholder", text: "/bin/a {{replicas}", problem: "has {{replicas}, which would pass the value with a brace"),
        FaultCase(name: "a template language's placeholder, unquoted", text: "/bin/a --replicas={{ replicas }}",
                  problem: "has '{ replicas }', a placeholder with blanks inside its braces, which would be passed as it is written"),
        FaultCase(name: "a placeholder split by a blank, an empty quote between", text: #"/bin/a {"" replicas}"#,
                  problem: "has '{ replicas }', a placeholder with blanks inside its braces, which would be passed as it is written"),
        FaultCase(name: "a placeholder with a blank inside, quoted", text: "/bin/a '--to={previous\t}'",
                  problem: "has '{previous\\t}', a placeholder with blanks inside its braces, which would be passed as it is written"),
        FaultCase(name: "a placeholder with a blank before its name", text: "/bin/a \"{ direction}\"",
                  problem: "has '{ direction}', a placeholder with blanks inside its braces, which would be passed as it is written"),
        FaultCase(name: "a shell's variable assignment before the program", text: "KUBECONFIG=/etc/k /usr/bin/kubectl",
                  problem: "starts with KUBECONFIG=/etc/k, a variable assignment that only a shell makes"),
        FaultCase(name: "a placeholder in the program", text: "/bin/{direction} x", problem: "has a placeholder in the program name"),
        FaultCase(name: "only an empty word", text: "''", problem: "has no program"),
        FaultCase(name: "a relative program path", text: "bin/scale {replicas}", problem: "names the program by a relative path"),
        FaultCase(name: "an argument longer than the kernel passes", text: "/bin/echo " + String(repeating: "a", count: 131_072),
                  problem: "has an argument of 131072 bytes, more than the 131071 the kernel passes to a program in one argument"),
        FaultCase(name: "an argument the kernel would take, but for a placeholder's value",
                  text: "/bin/echo --r={replicas}" + String(repeating: "a", count: 131_048),
                  problem: "has an argument of 131072 bytes, more than the 131071 the kernel passes to a program in one argument"),
        FaultCase(name: "arguments too large together", text: "/bin/echo" + String(repeating: " " + String(repeating: "a", count: 100_000), count: 11),
                  problem: "has arguments of 1100021 bytes together, more than the 1048576 an actuator's may take (the kernel's limit, "
                      + "a quarter of the stack limit, is shared with the environment)"),
        FaultCase(name: "a program's name longer than a file name may be", text: "/usr/" + String(repeating: "p", count: 256),
                  problem: "names a program by a path with a name of 256 bytes in it, more than the 255 a file name may have"),
        FaultCase(name: "a program's path longer than a path may be",
                  text: String(repeating: "/" + String(repeating: "d", count: 200), count: 21),
                  problem: "names a program by a path of 4221 bytes, more than the 4095 a path may have"),
    ])
    func faults(_ testCase: FaultCase) {
        #expect(throws: CommandTemplate.Fault.self) { try CommandTemplate(parsing: testCase.text) }
        do {
            _ = try CommandTemplate(parsing: testCase.text)
        } catch {
            #expect(error.problem == testCase.problem)
        }
    }

    @Test("the largest arguments the kernel passes are taken")
    func largestArguments() throws {
        let one = "/bin/echo " + String(repeating: "a", count: 131_071)
        #expect(try CommandTemplate(parsing: one).words.count == 2)
        let many = "/bin/echo" + String(repeating: " " + String(repeating: "a", count: 100_000), count: 10)
        #expect(try CommandTemplate(parsing: many).words.count == 11)
    }

    @Test("the description splits back into the same words")
    func roundTrip() throws {
        for text in [#"/bin/a 'b c' "it's" '' x\;y "\\" '#' --r={replicas}"#, "/bin/a",
                     #"/bin/a {n:{ ""rep{1} plicas}} { print } '{ x }'"#] {
            let template = try CommandTemplate(parsing: text)
            #expect(try CommandTemplate(parsing: template.description) == template, "\(template.description)")
        }
    }

    @Test("a quote followed by a combining mark is still quoted in the description")
    func combiningMark() throws {
        // "\u{301}" joins the quote before it into one Character; splitting looks at scalars.
        let template = try CommandTemplate(arguments: ["/bin/a", "it's \"\u{301}x", "\"\u{301}"])
        #expect(try CommandTemplate(parsing: template.description) == template, "\(template.description)")
    }

    @Test("already split arguments are checked for a placeholder with blanks inside its braces")
    func spacedPlaceholderInArguments() {
        #expect(throws: CommandTemplate.Fault(
            problem: "has '{ replicas }', a placeholder with blanks inside its braces, which would be passed as it is written",
            expected: "{replicas}")) { try CommandTemplate(arguments: ["/bin/a", "--n={ replicas }"]) }
    }

    @Test("already split arguments may hold newlines")
    func splitArguments() throws {
        let template = try CommandTemplate(arguments: ["/bin/a", "line1\nline2 {replicas}"])
        #expect(template.arguments { _ in "7" } == ["/bin/a", "line1\nline2 7"])
        #expect(template.program == "/bin/a")
    }
}
