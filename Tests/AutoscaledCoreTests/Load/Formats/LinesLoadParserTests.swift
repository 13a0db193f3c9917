import AutoscaledCore
import Testing

struct LinesLoadParserTests {
    @Test("NAME VALUE lines parse to their loads in order")
    func basic() throws {
        let servers = try LinesLoadParser.parse(Array("server1 30\nserver2 55\nserver3 20\n".utf8))
        #expect(servers == [
            ServerLoad(name: "server1", load: 30),
            ServerLoad(name: "server2", load: 55),
            ServerLoad(name: "server3", load: 20),
        ])
    }

    @Test("accepted documents", arguments: [
        LoadParseCase("an empty file holds no servers", "", ""),
        LoadParseCase("comments and blank lines are skipped",
                      "# load report\n\n   \n\t# indented comment\na 1\n#\nb 2\n", "a=1.0 b=2.0"),
        LoadParseCase("a trailing comment follows the value", "a 1 # draining\nb 2\t#x\n", "a=1.0 b=2.0"),
        LoadParseCase("spaces and tabs separate and surround fields", " \t a \t\t 1 \t \n", "a=1.0"),
        LoadParseCase("CRLF line ends are tolerated", "a 1\r\nb 2\r\n", "a=1.0 b=2.0"),
        LoadParseCase("a last comment line may lack its newline", "a 1\n# end", "a=1.0"),
        LoadParseCase("a last blank line may lack its newline", "a 1\n  ", "a=1.0"),
        LoadParseCase("signs, fractions and exponents are numbers",
                      "a +5\nb .5\nc 5.\nd 2.5e3\ne 1E-2\nf 007\ng -3\n",
                      "a=5.0 b=0.5 c=5.0 d=2500.0 e=0.01 f=7.0 g=-3.0"),
        LoadParseCase("a name may hold '#' after its first byte", "web#1 3\n", "web#1=3.0"),
        LoadParseCase("a name may hold any UTF-8", "α-β 3\n", "α-β=3.0"),
    ])
    func accepts(_ row: LoadParseCase) {
        #expect(row.outcome(of: LinesLoadParser.parse) == row.expected)
    }

    @Test("rejected documents", arguments: [
        LoadParseCase("a name without a value is rejected", "a\n", "line 1: expected 'NAME VALUE', found 1 field: 'a'"),
        LoadParseCase("NAME=VALUE is one field, and the line shows it", "server1=30\n",
                      "line 1: expected 'NAME VALUE', found 1 field: 'server1=30'"),
        LoadParseCase("a no-break space is no separator, and the line shows it", "server1\u{a0}30\n",
                      "line 1: expected 'NAME VALUE', found 1 field: 'server1\\u{a0}30'"),
        LoadParseCase("a name with only a comment is rejected", "a # 1\n",
                      "line 1: expected 'NAME VALUE', found 1 field: 'a # 1'"),
        LoadParseCase("three fields are rejected", "a 1 2\n", "line 1: expected 'NAME VALUE', found 3 fields: 'a 1 2'"),
        LoadParseCase("a name with a space is rejected", "web 1 30 # ok\n",
                      "line 1: expected 'NAME VALUE', found 3 fields: 'web 1 30 # ok'"),
        LoadParseCase("NaN load is rejected", "a nan\n", #"line 1: expected a number for "a", found 'nan'"#),
        LoadParseCase("NaN in capitals is rejected", "a NaN\n", #"line 1: expected a number for "a", found 'NaN'"#),
        LoadParseCase("inf load is rejected", "a inf\n", #"line 1: expected a number for "a", found 'inf'"#),
        LoadParseCase("Infinity load is rejected", "a -Infinity\n",
                      #"line 1: expected a number for "a", found '-Infinity'"#),
        LoadParseCase("a hex load is rejected", "a 0x10\n", #"line 1: expected a number for "a", found '0x10'"#),
        LoadParseCase("digit separators are rejected", "a 1_000\n", #"line 1: expected a number for "a", found '1_000'"#),
        LoadParseCase("a decimal comma is rejected", "a 1,5\n", #"line 1: expected a number for "a", found '1,5'"#),
        LoadParseCase("a comment glued to the value is rejected", "a 30#busy\n",
                      #"line 1: expected a number for "a", found '30#busy'"#),
        LoadParseCase("a lone point is rejected", "a .\n", #"line 1: expected a number for "a", found '.'"#),
        LoadParseCase("a lone sign is rejected", "a -\n", #"line 1: expected a number for "a", found '-'"#),
        LoadParseCase("a doubled sign is rejected", "a +-1\n", #"line 1: expected a number for "a", found '+-1'"#),
        LoadParseCase("an empty exponent is rejected", "a 1e\n", #"line 1: expected a number for "a", found '1e'"#),
        LoadParseCase("a number overflowing to infinity is rejected", "a 1e400\n",
                      #"line 1: number '1e400' for "a" is out of range"#),
        LoadParseCase("a name that is not UTF-8 is rejected", bytes: [0x61, 0xFF, 0x20, 0x31, 0x0A],
                      #"line 1: server name 'a\xFF' is not valid UTF-8"#),
        LoadParseCase("a last server line without a newline is rejected", "a 1\nb 2",
                      "line 2: missing newline at the end of the last line (the data may be cut off)"),
        LoadParseCase("a lone CR inside a line is named: line ends of \\r alone", "a 1\rb 2\n",
                      "line 1: a carriage return (\\r) inside the line: lines must end with \\n or \\r\\n, not \\r alone"),
    ])
    func rejects(_ row: LoadParseCase) {
        #expect(row.outcome(of: LinesLoadParser.parse) == row.expected)
    }

    @Test("errors name the line they are on", arguments: [
        LoadParseCase("comments and blank lines count as lines", "# head\n\na 1\n\n# x\nb x\n",
                      #"line 6: expected a number for "b", found 'x'"#),
        LoadParseCase("CRLF line ends count once", "a 1\r\n\r\nb\r\n", "line 3: expected 'NAME VALUE', found 1 field: 'b'"),
    ])
    func lineNumbers(_ row: LoadParseCase) {
        #expect(row.outcome(of: LinesLoadParser.parse) == row.expected)
    }
}
