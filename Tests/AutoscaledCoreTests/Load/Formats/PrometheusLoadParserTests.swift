import AutoscaledCore
import Testing

struct PrometheusLoadParserTests {
    /// What a vLLM server exposes, trimmed: two engines, a histogram, other metrics around it.
    static let vllm = """
        # HELP vllm:num_requests_running Number of requests in model execution batches.
        # TYPE vllm:num_requests_running gauge
        vllm:num_requests_running{engine="0",model_name="llama"} 4.0
        vllm:num_requests_running{engine="1",model_name="llama"} 9.0
        # HELP vllm:num_requests_waiting Number of requests waiting to be processed.
        # TYPE vllm:num_requests_waiting gauge
        vllm:num_requests_waiting{engine="0",model_name="llama"} 0.0
        vllm:num_requests_waiting{engine="1",model_name="llama"} 12.0
        # TYPE vllm:e2e_request_latency_seconds histogram
        vllm:e2e_request_latency_seconds_bucket{engine="0",le="+Inf",model_name="llama"} 10.0
        vllm:e2e_request_latency_seconds_sum{engine="0",model_name="llama"} NaN

        """

    static func parse(_ selection: PrometheusSelection) -> ([UInt8]) throws(LoadError) -> [ServerLoad] {
        { bytes throws(LoadError) in try PrometheusLoadParser.parse(bytes, selection: selection, server: "127.0.0.1:8000") }
    }

    static let queue = PrometheusSelection(metric: "queue", serverLabel: "server")

    @Test("selections over a vLLM exposition", arguments: [
        (PrometheusSelection(metric: "vllm:num_requests_waiting", serverLabel: "engine"), "0=0.0 1=12.0"),
        (PrometheusSelection(metric: "vllm:num_requests_running"), "127.0.0.1:8000=13.0"),
        (PrometheusSelection(metric: "vllm:num_requests_running", labelMatch: [LabelMatcher(label: "engine", value: "1")]),
         "127.0.0.1:8000=9.0"),
        (PrometheusSelection(metric: "vllm:num_requests_running", serverLabel: "model_name"), "llama=13.0"),
        (PrometheusSelection(metric: "vllm:num_requests_running", labelMatch: [LabelMatcher(label: "model_name", value: "mistral")]),
         "no sample of metric 'vllm:num_requests_running' with model_name=\"mistral\""),
        (PrometheusSelection(metric: "vllm:num_requests", serverLabel: "engine"),
         "no sample of metric 'vllm:num_requests' with a label 'engine'"),
        (PrometheusSelection(metric: "vllm:e2e_request_latency_seconds_sum"),
         "line 11: server \"127.0.0.1:8000\": load NaN is not a finite number"),
    ] as [(PrometheusSelection, String)])
    func vllmSelections(_ selection: PrometheusSelection, _ expected: String) {
        let outcome = LoadParseCase("vllm", Self.vllm, expected).outcome { bytes throws(LoadError) in
            try LoadParser.snapshot(from: bytes, format: .prometheus(selection), source: "127.0.0.1:8000").servers
        }
        #expect(outcome == expected)
    }

    @Test("accepted documents", arguments: [
        LoadParseCase("labels in any order, a trailing comma, blanks", "queue { model = \"x\" , server=\"a\", } 3\n", "a=3.0"),
        LoadParseCase("escaped label values are undone", #"queue{server="a\"b\\c\nd"} 1"# + "\n", "a\"b\\c\nd=1.0"),
        LoadParseCase("HELP text may hold the same escapes", #"# HELP queue a\\b \"c\" \nd"# + "\nqueue{server=\"a\"} 1\n", "a=1.0"),
        LoadParseCase("a timestamp is ignored", "queue{server=\"a\"} 2.5 1732860000000\n", "a=2.5"),
        LoadParseCase("a negative timestamp is a timestamp", "queue{server=\"a\"} 2 -5\n", "a=2.0"),
        LoadParseCase("exponents and signs", "queue{server=\"a\"} 1.5e+02\nqueue{server=\"b\"} +0.25\n", "a=150.0 b=0.25"),
        LoadParseCase("samples of one server add up", "queue{server=\"a\",q=\"1\"} 2\nqueue{server=\"a\",q=\"2\"} 3\n", "a=5.0"),
        LoadParseCase("other metrics may be NaN or infinite", "other NaN\nother{x=\"y\"} +Inf\nother{x=\"z\"} -inf\nqueue{server=\"a\"} 1\n", "a=1.0"),
        LoadParseCase("samples without the server label are skipped", "queue 9\nqueue{server=\"a\"} 1\n", "a=1.0"),
        LoadParseCase("a server label with an empty value is no label: skipped", "queue{server=\"\"} 9\nqueue{server=\"a\"} 1\n", "a=1.0"),
        LoadParseCase("a longer name with the same prefix is another metric", "queue_total{server=\"a\"} 9\nqueue{server=\"b\"} 1\n", "b=1.0"),
        LoadParseCase("CRLF line ends and free comments", "# just a note\r\n#\r\nqueue{server=\"a\"} 1\r\n", "a=1.0"),
        LoadParseCase("tabs separate tokens", "queue{server=\"a\"}\t7\t\n", "a=7.0"),
        LoadParseCase("a comment may end the data without a newline", "queue{server=\"a\"} 1\n# end", "a=1.0"),
        LoadParseCase("an empty label set", "queue{} 1\nqueue{server=\"a\"} 2\n", "a=2.0"),
        LoadParseCase("a histogram's samples under its one TYPE",
                      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\nqueue{server=\"a\"} 1\n", "a=1.0"),
        LoadParseCase("a HELP line may follow the samples", "queue{server=\"a\"} 1\n# HELP queue waiting\n", "a=1.0"),
        LoadParseCase("a repeated series of another metric adds to no load and is let be",
                      "other 1\nother 2\nqueue{server=\"a\"} 1\n", "a=1.0"),
        LoadParseCase("forty labels", "queue{" + (0..<40).map { "l\($0)=\"\"," }.joined() + "server=\"a\"} 1\n", "a=1.0"),
    ])
    func accepted(_ testCase: LoadParseCase) {
        #expect(testCase.outcome(of: Self.parse(Self.queue)) == testCase.expected)
    }

    @Test("label_match with an empty value is met by a sample without that label, as a label whose value is empty is no label")
    func emptyLabelMatch() {
        let selection = PrometheusSelection(metric: "queue", serverLabel: "server", labelMatch: [LabelMatcher(label: "model", value: "")])
        let document = "queue{server=\"a\"} 1\nqueue{server=\"b\",model=\"\"} 2\nqueue{server=\"c\",model=\"x\"} 4\n"
        #expect(LoadParseCase("", document, "").outcome(of: Self.parse(selection)) == "a=1.0 b=2.0")
    }

    @Test("rejected documents", arguments: [
        LoadParseCase("an empty document", "", "no sample of metric 'queue' with a label 'server'"),
        LoadParseCase("an HTML error page", "<html><body>oops</body></html>\n", "line 1: expected a metric name, found '<'"),
        LoadParseCase("line ends of \\r alone are named, not a valid number", "queue{server=\"a\"} 1\rqueue{server=\"b\"} 2\r",
                      "line 1: a carriage return (\\r) inside the line: lines must end with \\n or \\r\\n, not \\r alone"),
        LoadParseCase("a cut-off last sample", "queue{server=\"a\"} 1\nqueue{server=\"b\"} 2",
                      "line 2: missing newline at the end of the last line (the data may be cut off)"),
        LoadParseCase("a sample without a value", "queue{server=\"a\"}\n", "line 1: expected a value, found end of line"),
        LoadParseCase("a value that is not a number", "queue{server=\"a\"} lots\n",
                      "line 1: expected a number, NaN, +Inf or -Inf as the value, found 'lots'"),
        LoadParseCase("a selected NaN", "queue{server=\"a\"} NaN\n", "line 1: server \"a\": load NaN is not a finite number"),
        LoadParseCase("a selected infinity", "queue{server=\"a\"} +Inf\n", "line 1: server \"a\": load +Inf is not a finite number"),
        LoadParseCase("a selected negative load", "queue{server=\"a\"} -1\n", "line 1: server \"a\": load -1 is negative"),
        LoadParseCase("a value glued to the labels", "queue{server=\"a\"}1\n", "line 1: expected a space after the labels, found '1'"),
        LoadParseCase("an unclosed label value", "queue{server=\"a} 1\n", "line 1: label value not closed before the end of the line"),
        LoadParseCase("an unclosed label set", "queue{server=\"a\" 1\n", "line 1: expected ',' or '}' after a label, found '1'"),
        LoadParseCase("a label without a value", "queue{server} 1\n", "line 1: expected '=' after the label name, found '}'"),
        LoadParseCase("an unquoted label value", "queue{server=a} 1\n", "line 1: expected '\"' opening the label value, found 'a'"),
        LoadParseCase("a label given twice", "queue{server=\"a\",server=\"b\"} 1\n", "line 1: label 'server' appears twice"),
        LoadParseCase("a label given twice among forty", "queue{" + (0..<40).map { "l\($0)=\"\"," }.joined() + "l7=\"x\"} 1\n",
                      "line 1: label 'l7' appears twice"),
        LoadParseCase("a bad label name", "queue{1x=\"a\"} 1\n", "line 1: expected a label name or '}', found '1x'"),
        LoadParseCase("text after the timestamp", "queue{server=\"a\"} 1 2 3\n", "line 1: expected the end of the line, found '3'"),
        LoadParseCase("a timestamp that is not an integer", "queue{server=\"a\"} 1 2.5\n",
                      "line 1: expected a timestamp in milliseconds, found '2.5'"),
        LoadParseCase("a TYPE line with an unknown type", "# TYPE queue meter\n",
                      "line 1: expected one of counter, gauge, histogram, summary, untyped as the type, found 'meter'"),
        LoadParseCase("a TYPE line with a word after the type names that word", "# TYPE queue gauge extra\n",
                      "line 1: expected the end of the line after the type, found 'extra'"),
        LoadParseCase("a HELP line without a name", "# HELP\n", "line 1: expected a metric name after '# HELP', found end of line"),
        LoadParseCase("a bad line anywhere rejects the whole document", "queue{server=\"a\"} 1\nbroken line here\n",
                      "line 2: expected a number, NaN, +Inf or -Inf as the value, found 'line'"),
        LoadParseCase("an unknown escape is not undone into the letter", #"queue{server="a\q"} 30"# + "\nqueue{server=\"aq\"} 30\n",
                      #"line 1: invalid escape '\q' in label value"#),
        LoadParseCase("an unknown escape in a label of another metric", #"other{x="\d"} 1"# + "\nqueue{server=\"a\"} 1\n",
                      #"line 1: invalid escape '\d' in label value"#),
        LoadParseCase("a backslash before a tab", "queue{server=\"a\\\t\"} 1\n",
                      #"line 1: invalid escape in label value: '\' followed by '\t'"#),
        LoadParseCase("an unknown escape in HELP text", #"# HELP queue waiting\tnow"# + "\nqueue{server=\"a\"} 1\n",
                      #"line 1: invalid escape '\t' in HELP text"#),
        LoadParseCase("a backslash ending HELP text", #"# HELP queue waiting\"# + "\nqueue{server=\"a\"} 1\n",
                      #"line 1: invalid escape in HELP text: '\' at the end of the line"#),
        LoadParseCase("a value beyond a double", "queue{server=\"a\"} 1e400\n", "line 1: number '1e400' is out of range"),
        LoadParseCase("a value beyond a double in another metric", "other -1e400\nqueue{server=\"a\"} 1\n",
                      "line 1: number '-1e400' is out of range"),
        LoadParseCase("only an empty server label value: no label, so no sample", "queue{server=\"\"} 1\n",
                      "no sample of metric 'queue' with a label 'server'"),
        LoadParseCase("two spellings of one name Unicode holds equal are not added up",
                      "queue{server=\"\u{E9}\"} 30\nqueue{server=\"e\u{301}\"} 30\n",
                      "line 2: server \"e\u{301}\" appears more than once, spelled U+00E9 and U+0065 U+0301, which Unicode holds to be the same text"),
        LoadParseCase("the same series twice", "queue{server=\"a\"} 1\nqueue{server=\"a\"} 2\n",
                      #"line 2: series 'queue{server="a"}' appears twice (first on line 1)"#),
        LoadParseCase("the same series with its labels in another order", "queue{server=\"a\",m=\"x\"} 1\n\nqueue{m=\"x\",server=\"a\"} 2\n",
                      #"line 3: series 'queue{m="x",server="a"}' appears twice (first on line 1)"#),
        LoadParseCase("a label with an empty value is no label", "queue{server=\"a\",m=\"\"} 1\nqueue{server=\"a\"} 2\n",
                      #"line 2: series 'queue{server="a"}' appears twice (first on line 1)"#),
        LoadParseCase("the same series without the selected labels", "queue 1\nqueue{} 2\nqueue{server=\"a\"} 1\n",
                      "line 2: series 'queue{}' appears twice (first on line 1)"),
        LoadParseCase("a second TYPE line", "# TYPE queue gauge\n# TYPE queue gauge\nqueue{server=\"a\"} 1\n",
                      "line 2: second TYPE line for metric 'queue'"),
        LoadParseCase("a second HELP line", "# HELP queue waiting\nqueue{server=\"a\"} 1\n# HELP queue queued\n",
                      "line 3: second HELP line for metric 'queue'"),
        LoadParseCase("a TYPE line after the samples", "queue{server=\"a\"} 1\n# TYPE queue gauge\n",
                      "line 2: TYPE line for metric 'queue' after its samples"),
        LoadParseCase("a TYPE line after the samples of a histogram", "# TYPE h histogram\nh_sum 1\n# TYPE h_sum counter\n",
                      "line 3: second TYPE line for metric 'h_sum'"),
    ])
    func rejected(_ testCase: LoadParseCase) {
        let outcome = testCase.outcome { bytes throws(LoadError) in
            try LoadParser.snapshot(from: bytes, format: .prometheus(Self.queue)).servers
        }
        #expect(outcome == testCase.expected)
    }

    @Test("a label value that is not UTF-8 rejects the document", arguments: [
        ("queue{server=\"", "\"} 1\n", "line 1: the value of label 'server' is not valid UTF-8"),
        ("queue{server=\"a\",model=\"", "\"} 1\n", "line 1: the value of label 'model' is not valid UTF-8"),
        ("queue{server=\"a\"} 1\nother{x=\"\\n", "\"} 1\n", "line 2: the value of label 'x' is not valid UTF-8"),
    ])
    func invalidUTF8(_ before: String, _ after: String, _ expected: String) {
        let bytes = Array(before.utf8) + [0xFF, 0xFE] + Array(after.utf8)
        #expect(LoadParseCase("bad", bytes: bytes, "").outcome(of: Self.parse(Self.queue)) == expected)
    }
}
