import AutoscaledBase

/// Reads the loads out of the Prometheus text exposition format (version 0.0.4).
///
/// ```
/// # HELP vllm:num_requests_waiting Number of requests waiting to be processed.
/// # TYPE vllm:num_requests_waiting gauge
/// vllm:num_requests_waiting{engine="0",model_name="llama"} 3.0
/// vllm:num_requests_waiting{engine="1",model_name="llama"} 7.0 1732860000000
/// ```
/// The whole document must parse — comments, `# HELP`/`# TYPE` lines, label sets with escaped
/// values (`\\`, `\"`, `\n`, and no other escape, there or in `# HELP` text), label values in
/// UTF-8, `NaN`/`+Inf`/`-Inf` values (a number beyond a double is no infinity) and optional
/// timestamps — as Prometheus itself refuses a scrape with any bad line. Of its samples, those
/// of the selected metric that carry every `label_match` value are the loads: each distinct value of
/// `server_label` is one server (samples without that label are skipped), or without a server
/// label the whole metric is one server named `server`. Samples falling on the same server are
/// added up (request and queue counts add; pick one sample of a ratio with `label_match`), but the
/// same series of the metric twice, a second `# HELP` or `# TYPE` of any metric and a `# TYPE`
/// after its samples are syntax errors (``PrometheusFamilies``).
///
/// A selected sample that is not finite, negative or above the load bound rejects the snapshot,
/// also where it is one of several that add up to a valid load, and so does a sample line cut off
/// before its newline. The parser never traps, recurses or loops without consuming input.
public enum PrometheusLoadParser {
    /// Parses `bytes` into one load per server, in the order each server first appears.
    /// - Throws: ``LoadError/syntax(line:message:)``, ``LoadError/notFound(_:)`` when no sample is
    ///   selected.
    public static func parse(
        _ bytes: UnsafeRawBufferPointer, selection: PrometheusSelection, server: String
    ) throws(LoadError) -> [ServerLoad] {
        try read(bytes, selection: selection, server: server).servers
    }

    /// Parses `bytes` into one load per server, each with a line: of its sample, or for a sum of
    /// several, of the sample after which the sum last became one ``LoadSnapshot`` refuses.
    static func read(
        _ bytes: UnsafeRawBufferPointer, selection: PrometheusSelection, server: String
    ) throws(LoadError) -> ParsedLoads {
        let wanted = Array(selection.metric.utf8)
        let matchers = selection.labelMatch.map { (label: Array($0.label.utf8), value: Array($0.value.utf8)) }
        let serverLabel = selection.serverLabel.map { Array($0.utf8) }
        var totals: [String: Int] = [:]
        var servers = ParsedLoads(bytes)
        var lexer = PrometheusLineLexer(bytes)
        while let line = try lexer.nextSample() {
            guard line.name.count == wanted.count, lexer.equal(line.name, wanted) else { continue }
            try lexer.checkSeries(of: line)
            // A label whose value is empty is no label: `model=""` is matched by a sample without `model`.
            guard matchers.allSatisfy({ matcher in
                matcher.value.isEmpty
                    ? !line.labels.contains { lexer.equal($0.name, matcher.label) && !lexer.value($0.value, is: []) }
                    : line.labels.contains { lexer.equal($0.name, matcher.label) && lexer.value($0.value, is: matcher.value) }
            }) else { continue }
            let name: String
            if let serverLabel {
                guard let label = line.labels.first(where: { lexer.equal($0.name, serverLabel) }),
                      !lexer.value(label.value, is: []) else { continue }
                name = lexer.text(label.value)
            } else {
                name = server
            }
            if let index = totals[name] {
                // Two spellings Unicode holds equal (`é`, `e` and an accent) are one key here: not summed.
                let first = servers.servers[index].name
                guard first.utf8.elementsEqual(name.utf8) else {
                    throw LoadError.duplicateServer(name, line: lexer.line, otherSpelling: first)
                }
                let before = servers.servers[index].load
                // Each sample of a sum must be a load itself: `-10` and `40` are no server at 30.
                if servers.origins[index].value != nil, let fault = servers.fault(at: index) { throw fault }
                if let fault = servers.fault(inLoad: line.value, of: name, writtenAt: line.valueText, line: lexer.line) { throw fault }
                servers.servers[index].load += line.value
                if LoadSnapshot.fault(inLoad: before) == nil, LoadSnapshot.fault(inLoad: servers.servers[index].load) != nil {
                    servers.origins[index].line = lexer.line
                }
                servers.origins[index].value = nil
            } else {
                totals[name] = servers.servers.count
                servers.append(ServerLoad(name: name, load: line.value), line: lexer.line, value: line.valueText)
            }
        }
        guard !servers.servers.isEmpty else { throw LoadError.notFound(description(of: selection)) }
        return servers
    }

    /// Parses `bytes` into one load per server, in the order each server first appears.
    public static func parse(_ bytes: [UInt8], selection: PrometheusSelection, server: String) throws(LoadError) -> [ServerLoad] {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(LoadError) in try parse(buffer, selection: selection, server: server) }
        }
        return try result.get()
    }

    /// `no sample of metric 'x' with model="a" and a label 'server'`.
    static func description(of selection: PrometheusSelection) -> String {
        var conditions = selection.labelMatch.map { "\($0.label)=\"\(TextEscaping.escaped($0.value, quote: "\""))\"" }
        if let label = selection.serverLabel { conditions.append("a label '\(label)'") }
        let with = conditions.isEmpty ? "" : " with " + conditions.joined(separator: " and ")
        return "no sample of metric '\(selection.metric)'\(with)"
    }
}
