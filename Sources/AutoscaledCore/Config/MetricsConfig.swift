/// `[metrics]`: the Prometheus textfile written after every evaluation (node_exporter's textfile collector).
public struct MetricsConfig: Sendable, Equatable {
    /// Where the metrics go; `nil` (no `textfile` key) writes none.
    public var textfile: String?
    /// The most `autoscaled_server_load` series written: the busiest servers are kept.
    public var maxSeries: Int

    public init(textfile: String?, maxSeries: Int) {
        self.textfile = textfile
        self.maxSeries = maxSeries
    }
}
