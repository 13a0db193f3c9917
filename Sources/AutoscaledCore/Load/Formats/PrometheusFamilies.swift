/// What a Prometheus document has declared and sampled so far, to refuse what it may say only
/// once, as Prometheus does: one `# HELP` and one `# TYPE` per metric family, the `# TYPE` before
/// the family's samples, and each series (metric name and label set) in one sample.
///
/// A family is named by its `# TYPE` or first sample; the `_bucket`, `_sum` and `_count` samples
/// of a declared histogram (`_sum` and `_count` of a summary) belong to it. A label whose value
/// is empty is no label: `queue{model=""}` is the series `queue`.
struct PrometheusFamilies {
    private struct Family {
        var help = false
        var type: [UInt8]?
        var sampled = false
    }

    private var families: [[UInt8]: Family] = [:]
    /// Each series seen, by its key, with the line of its sample.
    private var series: [[UInt8]: Int] = [:]

    /// Records a `# HELP` line; the problem when the family already has one.
    mutating func help(_ name: [UInt8]) -> String? {
        let family = self.family(of: name)
        guard families[family]?.help != true else { return "second HELP line for metric \(quoted(name))" }
        families[family, default: Family()].help = true
        return nil
    }

    /// Records a `# TYPE` line; the problem when the family already has a type or samples.
    mutating func type(_ name: [UInt8], _ type: [UInt8]) -> String? {
        let family = self.family(of: name)
        if families[family]?.type != nil { return "second TYPE line for metric \(quoted(name))" }
        if families[family]?.sampled == true { return "TYPE line for metric \(quoted(name)) after its samples" }
        families[family, default: Family()].type = type
        return nil
    }

    /// Records a sample on `line` of the series `key` (see ``key(name:labels:)``); the line of
    /// the earlier sample of that series, if there was one.
    mutating func sample(_ name: [UInt8], key: [UInt8], line: Int) -> Int? {
        families[family(of: name), default: Family()].sampled = true
        if let first = series[key] { return first }
        series[key] = line
        return nil
    }

    /// A series' identity: its name, then its labels with non-empty values sorted by name, each
    /// part prefixed by its length (so no two label sets run together into one key).
    static func key(name: [UInt8], labels: [(name: [UInt8], value: [UInt8])]) -> [UInt8] {
        var key: [UInt8] = []
        append(name, to: &key)
        for label in labels.filter({ !$0.value.isEmpty }).sorted(by: { $0.name.lexicographicallyPrecedes($1.name) }) {
            append(label.name, to: &key)
            append(label.value, to: &key)
        }
        return key
    }

    private static func append(_ part: [UInt8], to key: inout [UInt8]) {
        var count = UInt32(truncatingIfNeeded: part.count)
        for _ in 0..<4 {
            key.append(UInt8(truncatingIfNeeded: count))
            count >>= 8
        }
        key.append(contentsOf: part)
    }

    /// The family a metric name belongs to: itself, or the histogram or summary it is part of.
    private func family(of name: [UInt8]) -> [UInt8] {
        if families[name] != nil { return name }
        for (suffix, types) in Self.parts {
            guard name.count > suffix.count, name.suffix(suffix.count).elementsEqual(suffix) else { continue }
            let base = Array(name.dropLast(suffix.count))
            if let type = families[base]?.type, types.contains(type) { return base }
        }
        return name
    }

    private static let parts: [(suffix: [UInt8], types: [[UInt8]])] = [
        (Array("_bucket".utf8), [Array("histogram".utf8)]),
        (Array("_sum".utf8), [Array("histogram".utf8), Array("summary".utf8)]),
        (Array("_count".utf8), [Array("histogram".utf8), Array("summary".utf8)]),
    ]

    private func quoted(_ name: [UInt8]) -> String {
        name.withUnsafeBytes { SyntaxQuoting.text($0, from: 0, to: $0.count) }
    }
}
