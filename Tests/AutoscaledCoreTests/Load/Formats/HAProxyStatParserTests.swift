import AutoscaledCore
import Testing

struct HAProxyStatParserTests {
    /// The head of HAProxy 2.6's `show stat`, cut to its first columns (the real one has 100+).
    static let header = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,status,\n"
    static let stats = header + """
        fe,FRONTEND,,,4,9,2000,40,OPEN,
        inference,gpu-1,0,0,3,5,8,100,UP,
        inference,gpu-2,2,4,8,8,8,120,UP,
        inference,gpu-3,0,0,0,1,,7,DRAIN,
        inference,gpu-4,0,0,0,0,8,0,MAINT,
        inference,gpu-5,0,0,0,0,8,0,MAINT (via inference/gpu-4),
        inference,BACKEND,3,4,11,13,200,227,UP,
        other,web,0,0,50,50,50,9,UP,

        """

    static func parse(_ selection: HAProxySelection) -> ([UInt8]) throws(LoadError) -> [ServerLoad] {
        { bytes throws(LoadError) in try HAProxyStatParser.parse(bytes, selection: selection) }
    }

    @Test("selections over one stats dump", arguments: [
        (HAProxySelection(backend: "inference"), "gpu-1=3.0 gpu-2=8.0 gpu-3=0.0"),
        // The backend's queue, for no server in particular, in equal parts (not to those in maintenance).
        (HAProxySelection(backend: "inference", field: .column("qcur")), "gpu-1=1.0 gpu-2=3.0 gpu-3=1.0"),
        (HAProxySelection(backend: "inference", field: .column("qmax")), "gpu-1=0.0 gpu-2=4.0 gpu-3=0.0"),
        (HAProxySelection(backend: "inference", field: .column("stot")), "gpu-1=100.0 gpu-2=120.0 gpu-3=7.0"),
        (HAProxySelection(backend: "other", field: .utilization), "web=100.0"),
        (HAProxySelection(backend: "inference", field: .utilization),
         "line 5: server \"gpu-3\" has no slim (maxconn), which field = utilization needs"),
        (HAProxySelection(backend: "inference", field: .column("status")),
         "line 3: expected a number in column 'status' of server \"gpu-1\", found 'UP'"),
        (HAProxySelection(backend: "inference", field: .column("rate")), "no column 'rate' in the 'show stat' header"),
        (HAProxySelection(backend: "gpu"), "no backend 'gpu' in the stats (proxies: fe, inference, other)"),
        (HAProxySelection(backend: "fe"), "backend 'fe' has no servers"),
    ] as [(HAProxySelection, String)])
    func selections(_ selection: HAProxySelection, _ expected: String) {
        #expect(LoadParseCase("stats", Self.stats, expected).outcome(of: Self.parse(selection)) == expected)
    }

    @Test("the proxies a missing backend's message lists are escaped: no byte of the data reaches a terminal raw")
    func proxiesEscaped() {
        let stats = "# pxname,svname,scur,\n\u{1B}]0;x\u{7}\u{1B}[2Jevil,s1,60,\n"
        #expect(LoadParseCase("stats", stats, "").outcome(of: Self.parse(HAProxySelection(backend: "be")))
            == #"no backend 'be' in the stats (proxies: \u{1b}]0;x\u{7}\u{1b}[2Jevil)"#)
    }

    @Test("what the CSV may look like", arguments: [
        LoadParseCase("utilization is 100 × scur / slim", header + "b,s,0,0,3,5,8,1,UP,\n", "s=37.5"),
        LoadParseCase("utilization with a fraction of a maxconn", header + "b,s,0,0,3,5,0.5,1,UP,\n",
                      "line 2: expected a whole number in column 'slim' of server \"s\", as HAProxy writes it, found '0.5'"),
        LoadParseCase("utilization with slim 0", header + "b,s,0,0,3,5,0,1,UP,\n",
                      "line 2: server \"s\" has slim '0', not the positive maxconn field = utilization needs"),
        LoadParseCase("utilization with a negative slim", header + "b,s,0,0,-3,5,-8,1,UP,\n",
                      "line 2: server \"s\" has slim '-8', not the positive maxconn field = utilization needs"),
        LoadParseCase("utilization with a negative scur", header + "b,s,0,0,-3,5,8,1,UP,\n",
                      #"line 2: server "s": load -3 is negative"#),
        LoadParseCase("utilization without scur", header + "b,gpu-1,0,0,,5,8,1,UP,\n",
                      "line 2: server \"gpu-1\" has no value in column 'scur'"),
        LoadParseCase("no trailing comma and CRLF line ends", "# pxname,svname,scur\r\nb,s,4\r\n", "s=4.0"),
        LoadParseCase("quoted fields, with a doubled quote", "# pxname,svname,scur,x\n\"b\",\"s \"\"1\"\"\",2,\"a,b\"\n", "s \"1\"=2.0"),
        LoadParseCase("blank lines are skipped", "\n# pxname,svname,scur\n\nb,s,1\n\n", "s=1.0"),
        LoadParseCase("an empty dump", "", "line 1: no data: expected the 'show stat' header '# pxname,svname,…'"),
        LoadParseCase("an error message instead of stats", "Unknown command: 'show sta'\n",
                      "line 1: expected the 'show stat' header '# pxname,svname,…', found 'Unknown command: \\'show s…'"),
        LoadParseCase("a header of another table", "# name,value\nb,1\n",
                      "line 1: expected the header to start with '# pxname,svname', found '# name,value'"),
        LoadParseCase("a row cut off", header + "b,s,0,0,3,5,8,1,UP,\nb,t,0,0,3",
                      "line 3: missing newline at the end of the last line (the data may be cut off)"),
        LoadParseCase("a fraction in the load column", header + "b,s,0,0,60.5,100,8,1,UP,\n",
                      "line 2: expected a whole number in column 'scur' of server \"s\", as HAProxy writes it, found '60.5'"),
        LoadParseCase("a short row", header + "b,s,0,0\n", "line 2: expected at least 9 columns, found 4: 'b,s,0,0'"),
        LoadParseCase("a row short of the header past the load column", header + "b,gpu-2,0,0,6\n",
                      "line 2: expected at least 9 columns, found 5: 'b,gpu-2,0,0,6'"),
        LoadParseCase("a short row of another proxy", header + "other,web,0\nb,s,0,0,3,5,8,1,UP,\n",
                      "line 2: expected at least 9 columns, found 3: 'other,web,0'"),
        LoadParseCase("qcur with an empty backend queue, refused as a server's is", "# pxname,svname,qcur\nb,s,1\nb,t,2\nb,BACKEND,\n",
                      "line 4: the BACKEND row has no value in column 'qcur', whose queue field = qcur shares among the servers"),
        LoadParseCase("qcur with a backend queue of 0", "# pxname,svname,qcur\nb,s,1\nb,t,2\nb,BACKEND,0\n", "s=1.0 t=2.0"),
        LoadParseCase("qcur with no backend row: the queue every server waits behind is unknown, not empty", "# pxname,svname,qcur\nb,s,1\nb,t,2\n",
                      "backend 'b' has no BACKEND row, whose qcur field = qcur shares among the servers (ask for the whole backend: 'show stat' with no filter, or type -1)"),
        LoadParseCase("qcur: a negative queue is not hidden by the backend's", "# pxname,svname,qcur\nb,s,1\nb,t,-1\nb,BACKEND,8\n",
                      #"line 3: server "t": load -1 is negative"#),
        LoadParseCase("qcur: a negative backend queue", "# pxname,svname,qcur\nb,s,1\nb,t,2\nb,BACKEND,-3\n",
                      #"line 4: server "BACKEND": load -3 is negative"#),
        LoadParseCase("qcur: a backend queue that is not a number", "# pxname,svname,qcur\nb,s,1\nb,BACKEND,x\n",
                      "line 3: expected a number in column 'qcur' of server \"BACKEND\", found 'x'"),
        LoadParseCase("a header naming a column twice", "# pxname,svname,scur,qcur,scur\nb,s,1,0,2\n",
                      "line 1: column 'scur' appears twice in the header"),
        LoadParseCase("an empty load", "# pxname,svname,scur\nb,s,\n", "line 2: server \"s\" has no value in column 'scur'"),
        LoadParseCase("a negative load", "# pxname,svname,scur\nb,s,-1\n", "line 2: server \"s\": load -1 is negative"),
        LoadParseCase("the same server twice", "# pxname,svname,scur\nb,s,1\nb,s,2\n", "line 3: server \"s\" appears more than once"),
        LoadParseCase("servers in maintenance are no servers", "# pxname,svname,scur,status\nb,s,1,UP\nb,t,0,MAINT\n", "s=1.0"),
        LoadParseCase("a backend whose servers are all in maintenance", "# pxname,svname,scur,status\nb,t,0,MAINT\n",
                      "backend 'b' has no servers out of maintenance (1 in it)"),
    ])
    func shapes(_ testCase: LoadParseCase) {
        let outcome = testCase.outcome { bytes throws(LoadError) in
            try LoadParser.snapshot(from: bytes, format: .haproxy(HAProxySelection(
                backend: "b", field: testCase.name.hasPrefix("utilization") ? .utilization : .column(testCase.name.hasPrefix("qcur") ? "qcur" : "scur")))).servers
        }
        #expect(outcome == testCase.expected)
    }

    static func outcome(_ testCase: LoadParseCase, field: HAProxySelection.Field = .column("scur")) -> String {
        testCase.outcome { bytes throws(LoadError) in
            try LoadParser.snapshot(from: bytes, format: .haproxy(HAProxySelection(backend: "b", field: field))).servers
        }
    }

    @Test("a second header is another table, refused, not read with the first one's columns", arguments: [
        LoadParseCase("a second header after rows", "# pxname,svname,scur,\nb,s1,60,\n# pxname,svname,qcur,scur,\nb,s2,70,5,\n",
                      "line 3: a second header after the one on line 1, found '# pxname,svname,qcur,scu…' (concatenated 'show stat' outputs are not one table)"),
        LoadParseCase("the header twice", "# pxname,svname,scur\n# pxname,svname,scur\nb,s,1\n",
                      "line 2: a second header after the one on line 1, found '# pxname,svname,scur' (concatenated 'show stat' outputs are not one table)"),
        LoadParseCase("a '#' line after another proxy's rows", "\n# pxname,svname,scur\nother,web,1\n#\nb,s,1\n",
                      "line 4: a second header after the one on line 2, found '#' (concatenated 'show stat' outputs are not one table)"),
    ])
    func secondHeader(_ testCase: LoadParseCase) {
        #expect(Self.outcome(testCase) == testCase.expected)
    }

    @Test("a second row of one server or summary of the backend is refused, naming both lines", arguments: [
        LoadParseCase("a second BACKEND row", "# pxname,svname,qcur\nb,s,1\nb,BACKEND,3\nb,BACKEND,60\n",
                      #"line 4: a second BACKEND row of backend "b" (the first is on line 3)"#),
        LoadParseCase("a second FRONTEND row", "# pxname,svname,qcur\nb,FRONTEND,\nb,s,1\nb,FRONTEND,\n",
                      #"line 4: a second FRONTEND row of backend "b" (the first is on line 2)"#),
        LoadParseCase("a server twice, once in maintenance", "# pxname,svname,qcur,status\nb,s,1,UP\nb,s,0,MAINT\n",
                      #"line 3: server "s" appears more than once"#),
        LoadParseCase("a server in maintenance twice", "# pxname,svname,qcur,status\nb,s,1,UP\nb,t,0,MAINT\nb,t,0,MAINT\n",
                      #"line 4: server "t" appears more than once"#),
        LoadParseCase("another proxy's BACKEND row is no second one", "# pxname,svname,qcur\nb,s,1\nb,BACKEND,3\nc,BACKEND,60\n", "s=4.0"),
    ])
    func secondRow(_ testCase: LoadParseCase) {
        #expect(Self.outcome(testCase, field: .column("qcur")) == testCase.expected)
    }

    @Test("a server name that is not UTF-8 is rejected, naming the line")
    func invalidUTF8() {
        let bytes = Array("# pxname,svname,scur\nb,s,1\nb,\"t".utf8) + [0xFF] + Array("\",2\n".utf8)
        let outcome = LoadParseCase("bad", bytes: bytes, "").outcome(of: Self.parse(HAProxySelection(backend: "b")))
        #expect(outcome == #"line 3: server name '"t\xFF"' is not valid UTF-8"#)
    }

    static let invalidNames: [(bytes: [UInt8], expected: String)] = [
        (Array("# pxname,svname,scur\nb".utf8) + [0xFF] + Array(",t,2\n".utf8), #"line 2: proxy name 'b\xFF' is not valid UTF-8"#),
        (Array("# pxname,svname,scur\nx".utf8) + [0xC3] + Array(",t,2\nb,s,1\n".utf8), #"line 2: proxy name 'x\xC3' is not valid UTF-8"#),
        (Array("# pxname,svname,sc".utf8) + [0xFF] + Array(",scur\nb,s,1,1\n".utf8), #"line 1: column name 'sc\xFF' is not valid UTF-8"#),
    ]

    @Test("a proxy or column name that is not UTF-8 is rejected, naming the line", arguments: invalidNames)
    func invalidUTF8Names(testCase: (bytes: [UInt8], expected: String)) {
        let outcome = LoadParseCase("bad", bytes: testCase.bytes, "").outcome(of: Self.parse(HAProxySelection(backend: "b")))
        #expect(outcome == testCase.expected)
    }
}
