/// Walks a Prometheus text document line by line, checking every line and handing out samples.
struct PrometheusLineLexer {
    /// One sample line: where its name and labels lie in the input, and its value.
    struct Sample {
        var name: Range<Int>
        /// The name and the label set as written, `{…}` included.
        var series: Range<Int>
        /// Each label's name and its raw value (between the quotes, escapes not yet undone).
        var labels: [(name: Range<Int>, value: Range<Int>)]
        var value: Double
        /// The value as written.
        var valueText: Range<Int>
    }

    let bytes: UnsafeRawBufferPointer
    let end: Int
    private var lines: ByteLines
    private var families = PrometheusFamilies()
    /// The 1-based number of the line last read.
    private(set) var line = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.end = bytes.count
        self.lines = ByteLines(bytes)
    }

    /// The next sample, skipping comments and blank lines; `nil` at the end of the document.
    mutating func nextSample() throws(LoadError) -> Sample? {
        while let next = try lines.next() {
            line = next.number
            var cursor = next.range.lowerBound
            let contentEnd = next.range.upperBound
            skipBlanks(&cursor, contentEnd)
            if cursor == contentEnd { continue }
            if bytes[cursor] == UInt8(ascii: "#") {
                try checkComment(from: cursor + 1, to: contentEnd)
                continue
            }
            let sample = try readSample(from: cursor, to: contentEnd)
            guard next.terminated else { throw ByteLines.cutOff(line: line) }
            families.sample(bytes, name: sample.name)
            return sample
        }
        return nil
    }

    /// Checks that the series of `sample`, the last one read, has had no sample before.
    mutating func checkSeries(of sample: Sample) throws(LoadError) {
        let key = PrometheusFamilies.key(bytes, name: sample.name, labels: sample.labels)
        if let first = families.series(key, line: line) {
            let series = SyntaxQuoting.text(bytes, from: sample.series.lowerBound, to: sample.series.upperBound)
            throw syntax("series \(series) appears twice (first on line \(first))")
        }
    }

    /// Whether `bytes[range]` holds exactly `other`.
    func equal(_ range: Range<Int>, _ other: [UInt8]) -> Bool {
        guard range.count == other.count else { return false }
        var offset = 0
        for position in range {
            if bytes[position] != other[offset] { return false }
            offset += 1
        }
        return true
    }

    /// `# HELP name text` and `# TYPE name type` are checked (the escapes of the text too); any
    /// other comment is free text.
    private mutating func checkComment(from start: Int, to stop: Int) throws(LoadError) {
        var cursor = start
        skipBlanks(&cursor, stop)
        let keyword = word(&cursor, stop)
        guard equal(keyword, Array("HELP".utf8)) || equal(keyword, Array("TYPE".utf8)) else { return }
        skipBlanks(&cursor, stop)
        let name = metricName(&cursor, stop)
        guard !name.isEmpty, cursor == stop || isBlank(bytes[cursor]) else {
            throw expected("a metric name after '# \(equal(keyword, Array("HELP".utf8)) ? "HELP" : "TYPE")'", at: cursor)
        }
        guard equal(keyword, Array("TYPE".utf8)) else {
            while cursor < stop {
                if bytes[cursor] == UInt8(ascii: "\\") {
                    try checkEscape(at: cursor, stop, in: "HELP text")
                    cursor += 2
                } else {
                    cursor += 1
                }
            }
            if let problem = families.help(Array(bytes[name])) { throw syntax(problem) }
            return
        }
        skipBlanks(&cursor, stop)
        let type = word(&cursor, stop)
        skipBlanks(&cursor, stop)
        let known = ["counter", "gauge", "histogram", "summary", "untyped"]
        guard known.contains(where: { equal(type, Array($0.utf8)) }) else {
            throw expected("one of " + known.joined(separator: ", ") + " as the type", at: type.lowerBound)
        }
        guard cursor == stop else { throw expected("the end of the line after the type", at: cursor) }
        if let problem = families.type(Array(bytes[name]), Array(bytes[type])) { throw syntax(problem) }
    }

    private func readSample(from start: Int, to stop: Int) throws(LoadError) -> Sample {
        var cursor = start
        let name = metricName(&cursor, stop)
        guard !name.isEmpty else { throw expected("a metric name", at: cursor) }
        let nameEnd = cursor
        skipBlanks(&cursor, stop)
        var labels: [(name: Range<Int>, value: Range<Int>)] = []
        var separated = cursor > nameEnd
        var seriesEnd = nameEnd
        if cursor < stop, bytes[cursor] == UInt8(ascii: "{") {
            cursor += 1
            labels = try readLabels(&cursor, stop)
            let labelsEnd = cursor
            seriesEnd = labelsEnd
            skipBlanks(&cursor, stop)
            separated = cursor > labelsEnd
        }
        guard separated || cursor == stop else {
            throw expected(labels.isEmpty ? "'{' or a space after the metric name" : "a space after the labels", at: cursor)
        }
        let valueText = word(&cursor, stop)
        guard !valueText.isEmpty else { throw expected("a value", at: cursor) }
        let value = try number(valueText)
        skipBlanks(&cursor, stop)
        let timestamp = word(&cursor, stop)
        if !timestamp.isEmpty {
            guard isTimestamp(timestamp) else { throw expected("a timestamp in milliseconds", at: timestamp.lowerBound) }
            skipBlanks(&cursor, stop)
        }
        guard cursor == stop else { throw expected("the end of the line", at: cursor) }
        return Sample(name: name, series: name.lowerBound..<seriesEnd, labels: labels, value: value, valueText: valueText)
    }

    /// Reads `name="value", …}` after the `{`; a trailing comma is allowed.
    private func readLabels(_ cursor: inout Int, _ stop: Int) throws(LoadError) -> [(name: Range<Int>, value: Range<Int>)] {
        var labels: [(name: Range<Int>, value: Range<Int>)] = []
        var seen = Set<[UInt8]>()
        while true {
            skipBlanks(&cursor, stop)
            if cursor < stop, bytes[cursor] == UInt8(ascii: "}") {
                cursor += 1
                return labels
            }
            let nameStart = cursor
            if cursor < stop, PrometheusName.isLabelStart(bytes[cursor]) {
                cursor += 1
                while cursor < stop, PrometheusName.isLabelByte(bytes[cursor]) { cursor += 1 }
            }
            let name = nameStart..<cursor
            guard !name.isEmpty else { throw expected(labels.isEmpty ? "a label name or '}'" : "a label name", at: cursor) }
            guard !isDuplicate(name, in: labels, seen: &seen) else {
                throw syntax("label \(SyntaxQuoting.text(bytes, from: name.lowerBound, to: name.upperBound)) appears twice")
            }
            skipBlanks(&cursor, stop)
            guard cursor < stop, bytes[cursor] == UInt8(ascii: "=") else { throw expected("'=' after the label name", at: cursor) }
            cursor += 1
            skipBlanks(&cursor, stop)
            guard cursor < stop, bytes[cursor] == UInt8(ascii: "\"") else { throw expected("'\"' opening the label value", at: cursor) }
            cursor += 1
            let valueStart = cursor
            var ascii = true
            while cursor < stop, bytes[cursor] != UInt8(ascii: "\"") {
                if bytes[cursor] == UInt8(ascii: "\\"), cursor + 1 < stop {
                    try checkEscape(at: cursor, stop, in: "label value")
                    cursor += 2
                } else {
                    if bytes[cursor] >= 0x80 { ascii = false }
                    cursor += 1
                }
            }
            guard cursor < stop else { throw syntax("label value not closed before the end of the line") }
            guard ascii || String(validating: UnsafeRawBufferPointer(rebasing: bytes[valueStart..<cursor]), as: UTF8.self) != nil else {
                throw syntax("the value of label \(SyntaxQuoting.text(bytes, from: name.lowerBound, to: name.upperBound)) is not valid UTF-8")
            }
            labels.append((name, valueStart..<cursor))
            cursor += 1
            skipBlanks(&cursor, stop)
            if cursor < stop, bytes[cursor] == UInt8(ascii: ",") {
                cursor += 1
                continue
            }
            guard cursor < stop, bytes[cursor] == UInt8(ascii: "}") else { throw expected("',' or '}' after a label", at: cursor) }
        }
    }

    /// A sample value: a decimal number, `NaN`, or an infinity (`+Inf`, `-Inf`, `Inf`), any case.
    private func number(_ range: Range<Int>) throws(LoadError) -> Double {
        switch DecimalNumber.parse(bytes, from: range.lowerBound, to: range.upperBound, grammar: .plain) {
        case let .value(value): return value
        case .outOfRange:
            throw syntax("number \(SyntaxQuoting.text(bytes, from: range.lowerBound, to: range.upperBound)) is out of range")
        case .malformed:
            var text = Array(UnsafeRawBufferPointer(rebasing: bytes[range]).prefix(10)).map { $0 | 0x20 }
            var sign: Double = 1
            if text.first == UInt8(ascii: "+") || text.first == UInt8(ascii: "-") {
                if text.first == UInt8(ascii: "-") { sign = -1 }
                text.removeFirst()
            }
            if range.count <= 10, text == Array("nan".utf8) { return .nan }
            if range.count <= 10, text == Array("inf".utf8) || text == Array("infinity".utf8) { return sign * .infinity }
            throw expected("a number, NaN, +Inf or -Inf as the value", at: range.lowerBound)
        }
    }

    /// `-?[0-9]{1,19}`: milliseconds since the epoch, within 64 bits.
    private func isTimestamp(_ range: Range<Int>) -> Bool {
        var digits = range
        if bytes[digits.lowerBound] == UInt8(ascii: "-") { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 18 else { return false }
        return digits.allSatisfy { bytes[$0] >= UInt8(ascii: "0") && bytes[$0] <= UInt8(ascii: "9") }
    }

    private func metricName(_ cursor: inout Int, _ stop: Int) -> Range<Int> {
        let start = cursor
        guard cursor < stop, PrometheusName.isMetricStart(bytes[cursor]) else { return start..<start }
        cursor += 1
        while cursor < stop, PrometheusName.isMetricByte(bytes[cursor]) { cursor += 1 }
        return start..<cursor
    }

    /// The run of non-blank bytes at the cursor.
    private func word(_ cursor: inout Int, _ stop: Int) -> Range<Int> {
        let start = cursor
        while cursor < stop, !isBlank(bytes[cursor]) { cursor += 1 }
        return start..<cursor
    }

    /// Whether `name` is already among `labels`: linear for the usual handful; past 16 labels the
    /// names go in `seen`, so a line of a million labels costs no more than its length.
    private func isDuplicate(
        _ name: Range<Int>, in labels: [(name: Range<Int>, value: Range<Int>)], seen: inout Set<[UInt8]>
    ) -> Bool {
        guard labels.count >= 16 else {
            return labels.contains { $0.name.count == name.count && zip($0.name, name).allSatisfy { bytes[$0] == bytes[$1] } }
        }
        if seen.isEmpty { for label in labels { seen.insert(Array(bytes[label.name])) } }
        return !seen.insert(Array(bytes[name])).inserted
    }

    private func skipBlanks(_ cursor: inout Int, _ stop: Int) {
        while cursor < stop, isBlank(bytes[cursor]) { cursor += 1 }
    }

    @inline(__always)
    private func isBlank(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    func syntax(_ message: String) -> LoadError {
        .syntax(line: line, message: message)
    }

    private func expected(_ what: String, at position: Int) -> LoadError {
        let stop = min(end, position + SyntaxQuoting.maxQuotedBytes)
        var lineStop = position
        while lineStop < stop, bytes[lineStop] != UInt8(ascii: "\n"), bytes[lineStop] != UInt8(ascii: "\r") { lineStop += 1 }
        let found = position < lineStop ? SyntaxQuoting.found(bytes, at: position, end: lineStop) : "end of line"
        return syntax("expected \(what), found \(found)")
    }
}
