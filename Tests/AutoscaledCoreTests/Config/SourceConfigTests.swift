@testable import AutoscaledCore
import Testing

struct SourceConfigTests {
    @Test("a unix source with a request, HAProxy's CSV and every socket default")
    func unixHAProxy() throws {
        let config = try ConfigParsing.parse("""
            [source]
            type = unix
            path = /run/haproxy/admin.sock
            request = show stat\\n
            format = haproxy
            backend = inference
            field = utilization
            """).get()
        #expect(config.source.kind == .unix(path: "/run/haproxy/admin.sock", request: "show stat\n", limits: SocketLimits(
            connectTimeout: .seconds(1), readTimeout: .seconds(2), maxResponseBytes: 16_777_216)))
        #expect(SocketLimits.defaults == SocketLimits(connectTimeout: .seconds(1), readTimeout: .seconds(2), maxResponseBytes: 16 << 20))
        #expect(config.source.format == .haproxy(HAProxySelection(backend: "inference", field: .utilization)))
        #expect(config.source.location == "/run/haproxy/admin.sock")
        #expect(config.source.watchedFile == nil)
    }

    @Test("an http source reading a Prometheus metric, with its limits set")
    func httpPrometheus() throws {
        let config = try ConfigParsing.parse("""
            [source]
            type = http
            url = http://127.0.0.1:8000/metrics
            connect_timeout = 250ms
            read_timeout = 3s
            max_response_bytes = 1048576
            format = prometheus
            metric = vllm:num_requests_waiting
            server_label = engine
            label_match = model_name = llama , quoted = "a, \\"b\\""
            failure_threshold = 5
            [policy]
            fallback_replicas = 4
            """).get()
        let url = try LoopbackURL.parse("http://127.0.0.1:8000/metrics")
        #expect(config.source.kind == .http(url: url, limits: SocketLimits(
            connectTimeout: .milliseconds(250), readTimeout: .seconds(3), maxResponseBytes: 1_048_576)))
        #expect(config.source.format == .prometheus(PrometheusSelection(
            metric: "vllm:num_requests_waiting", serverLabel: "engine",
            labelMatch: [LabelMatcher(label: "model_name", value: "llama"), LabelMatcher(label: "quoted", value: "a, \"b\"")])))
        #expect(config.source.failureThreshold == 5)
        #expect(config.policy.fallbackReplicas == 4)
        let settings = Dictionary(uniqueKeysWithValues: config.settings.map { ($0.name, $0.value) })
        #expect(settings["label_match"] == #"model_name=llama,quoted="a, \"b\"""#)
        #expect(settings["url"] == "http://127.0.0.1:8000/metrics")
        #expect(settings["stale_after"] == nil)
    }

    @Test("a tcp source on IPv6 loopback; optional keys left out stay unset")
    func tcp() throws {
        let config = try ConfigParsing.parse("[source]\ntype = tcp\naddress = [::1]:9100\nformat = lines").get()
        #expect(config.source.kind == .tcp(address: LoopbackAddress(host: .ipv6, port: 9100), request: nil, limits: .defaults))
        #expect(config.source.location == "[::1]:9100")
        #expect(config.policy.fallbackReplicas == nil)
        #expect(!config.settings.contains { $0.name == "request" || $0.name == "fallback_replicas" })
        // Leading zeros say nothing of the port, however many.
        #expect(try LoopbackAddress.parse("127.0.0.1:018931").port == 18931)
        #expect(try LoopbackAddress.parse("127.0.0.1:0000000080").port == 80)
        #expect(throws: (any Error).self) { try LoopbackAddress.parse("127.0.0.1:99999999999999999999999") }
    }

    @Test("settings of every source type read back through the parser give the same config", arguments: [
        "[source]\ntype = unix\npath = /run/a.sock\nrequest = \"GET\\t/\\\\x\\r\\n\"\nformat = prometheus\nmetric = a:b\n",
        "[source]\ntype = tcp\naddress = 127.1.2.3:80\nformat = haproxy\nbackend = be\n[policy]\nfallback_replicas = 1\n",
        "[source]\ntype = http\nurl = HTTP://[::1]/m?x=1\nformat = prometheus\nmetric = m\nlabel_match = a=\n",
        "[source]\npath = loads.prom\nformat = prometheus\nmetric = m\nserver_label = s\nstale_after = 1min\n",
    ])
    func roundTrip(_ text: String) throws {
        let original = try ConfigParsing.parse(text).get()
        let rebuilt = ConfigParsing.text(of: original)
        #expect(try ConfigParsing.parse(rebuilt).get() == original, "\(rebuilt)")
    }

    @Test("changes between source types name every key that came or went")
    func changes() throws {
        let old = try ConfigParsing.parse("[source]\npath = /l.json").get()
        let new = try ConfigParsing.parse("[source]\ntype = tcp\naddress = 127.0.0.1:9\nrequest = get\\n").get()
        #expect(Config.changes(from: old, to: new) == [
            "source.type=file->tcp", "source.path=/l.json->''", "source.address=''->127.0.0.1:9", #"source.request=''->'get\\n'"#,
            "source.connect_timeout=''->1s", "source.read_timeout=''->2s", "source.max_response_bytes=''->16777216",
            "source.stale_after=0->''",
        ])
    }

    @Test("each source fault gives one exact message", arguments: [
        (["type = tcp", "address = 10.0.0.5:9100"],
         ["autoscaled.conf:3: address: '10.0.0.5:9100' is not a loopback address (sources are read on this host only: "
          + "127.0.0.0/8 or [::1]) (expected 127.0.0.1:PORT or [::1]:PORT, e.g. 127.0.0.1:9100)"]),
        (["type = tcp", "address = localhost:9100"],
         ["autoscaled.conf:3: address: 'localhost:9100' names a host; give its address, 127.0.0.1 or [::1] "
          + "(expected 127.0.0.1:PORT or [::1]:PORT, e.g. 127.0.0.1:9100)"]),
        (["type = tcp", "address = 127.0.0.1"],
         ["autoscaled.conf:3: address: '127.0.0.1' has no port (write HOST:PORT) (expected 127.0.0.1:PORT or [::1]:PORT, e.g. 127.0.0.1:9100)"]),
        (["type = tcp", "address = 127.0.0.1:70000"],
         ["autoscaled.conf:3: address: '127.0.0.1:70000' has a port that is not from 1 to 65535 "
          + "(expected 127.0.0.1:PORT or [::1]:PORT, e.g. 127.0.0.1:9100)"]),
        (["type = tcp", "address = [fe80::1]:80"],
         ["autoscaled.conf:3: address: '[fe80::1]:80' is not a loopback address (sources are read on this host only: "
          + "127.0.0.0/8 or [::1]) (expected 127.0.0.1:PORT or [::1]:PORT, e.g. 127.0.0.1:9100)"]),
        (["type = tcp"], ["autoscaled.conf:2: missing key 'address' in [source] (required with type = tcp)"]),
        (["type = http", "url = https://127.0.0.1/metrics"],
         ["autoscaled.conf:3: url: 'https://127.0.0.1/metrics' uses https, which is not supported (a source on this host is "
          + "read over plain http) (expected an http:// URL on 127.0.0.1 or [::1], e.g. http://127.0.0.1:8000/metrics)"]),
        (["type = http", "url = http://192.168.1.4:8000/metrics"],
         ["autoscaled.conf:3: url: 'http://192.168.1.4:8000/metrics' is not a loopback address (sources are read on this "
          + "host only: 127.0.0.0/8 or [::1]) (expected an http:// URL on 127.0.0.1 or [::1], e.g. http://127.0.0.1:8000/metrics)"]),
        (["type = http", "url = http://user@127.0.0.1/"],
         ["autoscaled.conf:3: url: 'http://user@127.0.0.1/' has user info, which is not supported "
          + "(expected an http:// URL on 127.0.0.1 or [::1], e.g. http://127.0.0.1:8000/metrics)"]),
        (["type = unix", "path = /run/h.sock", "request = show stat\\x"],
         ["autoscaled.conf:4: request: 'show stat\\\\x' has an unknown escape: a backslash before 'x' "
          + "(expected a text in which \\n, \\r, \\t and \\\\ are escapes, e.g. show stat\\n)"]),
        (["type = http", "url = http://127.0.0.1/", "request = x"],
         ["autoscaled.conf:4: request is not used with type = http (only with type = unix, tcp)"]),
        (["path = l", "connect_timeout = 1s"],
         ["autoscaled.conf:3: connect_timeout is not used with type = file (only with type = unix, tcp, http)"]),
        (["type = unix", "path = /s", "stale_after = 1min"],
         ["autoscaled.conf:4: stale_after is not used with type = unix (only with type = file)"]),
        (["type = unix", "path = /s", "read_timeout = 0"], ["autoscaled.conf:4: read_timeout: '0' must be greater than 0"]),
        (["type = unix", "path = /" + String(repeating: "x", count: 120)],
         ["autoscaled.conf:3: path: '/" + String(repeating: "x", count: 63) + "…' is 121 bytes long; a Unix socket address holds at most 107"]),
        (["path = l", "format = prometheus"], ["autoscaled.conf:3: missing key 'metric' in [source] (required with format = prometheus)"]),
        (["type = http", "url = http://127.0.0.1:8000/metrics?q=" + String(repeating: "x", count: 260), "format = prometheus", "metric = m"],
         ["autoscaled.conf:4: url names the one server of format = prometheus without server_label, and it cannot: invalid server "
          + "name \"http://127.0.0.1:8000/metrics?q=…\": longer than 256 bytes; set server_label, or a shorter url"]),
        (["path = l", "format = prometheus", "metric = vllm num"],
         ["autoscaled.conf:4: metric: 'vllm num' is not a metric name (expected a metric name of letters, digits, '_' and ':', "
          + "e.g. vllm:num_requests_waiting)"]),
        (["path = l", "format = prometheus", "metric = m", "label_match = model"],
         ["autoscaled.conf:5: label_match: 'model' has 'model' without '=value' (expected label=value pairs separated by commas, "
          + "e.g. model_name=llama)"]),
        (["path = l", "format = prometheus", "metric = m", "label_match = a=1,a=2"],
         ["autoscaled.conf:5: label_match: 'a=1,a=2' names the label 'a' twice (expected label=value pairs separated by commas, "
          + "e.g. model_name=llama)"]),
        (["path = l", "format = json", "metric = m"],
         ["autoscaled.conf:4: metric is not used with format = json (only with format = prometheus)"]),
        (["path = l", "format = haproxy"], ["autoscaled.conf:3: missing key 'backend' in [source] (required with format = haproxy)"]),
        (["path = l", "format = haproxy", "backend = b", "field = s-cur"],
         ["autoscaled.conf:5: field: 's-cur' is not a valid choice (expected one of \(Self.fields); did you mean 'scur'?)"]),
        (["path = l", "failure_threshold = 0"], ["autoscaled.conf:3: failure_threshold: '0' must be at least 1"]),
        (["path = l", "[policy]", "fallback_replicas = 12"],
         ["autoscaled.conf:4: fallback_replicas (12) must be between min_replicas (1, not set: its default) and max_replicas (10, not set: its default)"]),
    ] as [([String], [String])])
    func faults(_ lines: [String], _ errors: [String]) {
        #expect(ConfigParsing.errorLines(["[source]"] + lines) == errors)
    }

    /// What a bad `field =` is told it may be.
    static let fields = "scur, smax, stot, qcur, qmax, rate, rate_max, req_rate, req_rate_max, req_tot, conn_rate, conn_rate_max, conn_tot, lbtot, bin, bout, srv_icur, idle_conn_cur, safe_conn_cur, used_conn_cur, need_conn_est, qtime, ctime, rtime, ttime, qtime_max, ctime_max, rtime_max, ttime_max, utilization"

    @Test("field = a show stat column that is no load is refused at config time, with the columns it may be", arguments: [
        ("svname", "autoscaled.conf:5: field: 'svname' is not a valid choice (expected one of \(fields))"),
        ("pxname", "autoscaled.conf:5: field: 'pxname' is not a valid choice (expected one of \(fields))"),
        ("status", "autoscaled.conf:5: field: 'status' is not a valid choice (expected one of \(fields))"),
        ("slim", "autoscaled.conf:5: field: 'slim' is not a valid choice (expected one of \(fields))"),
        ("qcur", nil), ("rate", nil), ("stot", nil), ("utilization", nil),
    ] as [(String, String?)])
    func fieldIsALoadColumn(_ field: String, _ error: String?) {
        let lines = ["[source]", "path = l", "format = haproxy", "backend = b", "field = \(field)"]
        #expect(ConfigParsing.errorLines(lines) == (error.map { [$0] } ?? []))
    }
}
