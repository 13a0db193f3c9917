/// How the bytes a load source returns are turned into server loads, with what each format
/// needs to pick the loads out.
public enum LoadFormat: Sendable, Equatable {
    /// A JSON object of server name → number: `{"server1": 30, "server2": 55}`.
    case json
    /// One `NAME VALUE` pair per line; `#` comments and blank lines are allowed.
    case lines
    /// The Prometheus text exposition format (0.0.4); one metric's samples are the loads.
    case prometheus(PrometheusSelection)
    /// The CSV of HAProxy's `show stat`; one backend's servers are the servers.
    case haproxy(HAProxySelection)

    /// The formats by the name `format =` gives them.
    public enum Name: String, Sendable, Equatable, CaseIterable {
        case json, lines, prometheus, haproxy
    }

    /// `true` for the formats read line by line (`lines`, `prometheus`, `haproxy`): any prefix of the
    /// data that ends on a line boundary is itself valid, so only a close or a rename says it is whole.
    /// A JSON document is whole when it parses.
    public var isLineBased: Bool {
        self != .json
    }

    public var name: Name {
        switch self {
        case .json: .json
        case .lines: .lines
        case .prometheus: .prometheus
        case .haproxy: .haproxy
        }
    }
}

/// Which Prometheus samples are the loads: `metric = NAME`, `server_label = LABEL`,
/// `label_match = key=value,…`.
public struct PrometheusSelection: Sendable, Equatable {
    /// The metric's name, exactly as exposed (`vllm:num_requests_waiting`).
    public var metric: String
    /// Each distinct value of this label is one server; `nil`: the whole metric is one server.
    public var serverLabel: String?
    /// Only samples carrying every one of these label values count.
    public var labelMatch: [LabelMatcher]

    public init(metric: String, serverLabel: String? = nil, labelMatch: [LabelMatcher] = []) {
        self.metric = metric
        self.serverLabel = serverLabel
        self.labelMatch = labelMatch
    }
}

/// Which HAProxy servers are the servers and which of their columns is the load:
/// `backend = NAME`, `field = scur`.
public struct HAProxySelection: Sendable, Equatable {
    /// A `show stat` column, or the utilization derived from two of them.
    public enum Field: Sendable, Equatable {
        /// A numeric column by its header name: `scur`, `qcur`, `rate`, …
        case column(String)
        /// 100 × `scur` / `slim`: the share of the server's `maxconn` in use.
        case utilization

        /// The name as `field =` gives it.
        public var name: String {
            switch self {
            case let .column(name): name
            case .utilization: "utilization"
            }
        }

        public init(name: String) {
            self = name == "utilization" ? .utilization : .column(name)
        }

        /// The `show stat` columns `field =` takes: counts, maxima, rates, totals and times, each a
        /// number on every server row. Names (`pxname`, `svname`), text (`status`), ids, codes and
        /// settings (`slim`, `weight`) are no load.
        public static let loadColumns = [
            "scur", "smax", "stot", "qcur", "qmax", "rate", "rate_max", "req_rate", "req_rate_max", "req_tot",
            "conn_rate", "conn_rate_max", "conn_tot", "lbtot", "bin", "bout", "srv_icur", "idle_conn_cur",
            "safe_conn_cur", "used_conn_cur", "need_conn_est", "qtime", "ctime", "rtime", "ttime",
            "qtime_max", "ctime_max", "rtime_max", "ttime_max",
        ]

        /// Every name `field =` takes: ``loadColumns`` and `utilization`.
        public static let names = loadColumns + ["utilization"]
    }

    /// The backend (`pxname`) whose servers are read.
    public var backend: String
    public var field: Field

    public init(backend: String, field: Field = .column("scur")) {
        self.backend = backend
        self.field = field
    }
}
