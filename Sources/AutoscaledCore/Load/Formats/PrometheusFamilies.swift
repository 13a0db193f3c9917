/// What a Prometheus document has declared and sampled so far, to refuse what it may say only
/// once, as Prometheus does: one `# HELP` and one `# TYPE` per metric family, the `# TYPE` before
/// the family's samples, and each series (metric name and label set) in one sample — the last
/// checked for the series the caller asks about (the selected metric's, which would add up).
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
    private var series: [SeriesKey: Int] = [:]
    /// The metric name of the last sample: its family is marked sampled already.
    private var lastSampled: [UInt8] = []

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

    /// Records a sample of the metric `bytes[name]`, so a `# TYPE` for its family comes too late.
    mutating func sample(_ bytes: UnsafeRawBufferPointer, name: Range<Int>) {
        guard !lastSampled.elementsEqual(bytes[name]) else { return }
        lastSampled = Array(bytes[name])
        families[family(of: lastSampled), default: Family()].sampled = true
    }

    /// Records a sample on `line` of the series `key` (see ``key(_:name:labels:)``); the line of
    /// the earlier sample of that series, if there was one.
    mutating func series(_ key: [UInt8], line: Int) -> Int? {
        // One hash per sample; a repeat ends the read, so the first line need not be kept after it.
        series.updateValue(line, forKey: SeriesKey(bytes: key))
    }

    /// A series' identity, built straight from the input: its name, then its labels with
    /// non-empty values sorted by name, the values unescaped, each part prefixed by its length
    /// (so no two label sets run together into one key). Labels mostly come sorted already.
    static func key(
        _ bytes: UnsafeRawBufferPointer, name: Range<Int>, labels: [(name: Range<Int>, value: Range<Int>)]
    ) -> [UInt8] {
        var key: [UInt8] = []
        key.reserveCapacity(labels.reduce(name.count + 4) { $0 + $1.name.count + $1.value.count + 8 })
        appendPart(bytes, name, unescaping: false, to: &key)
        let precedes = { (a: (name: Range<Int>, value: Range<Int>), b: (name: Range<Int>, value: Range<Int>)) in
            bytes[a.name].lexicographicallyPrecedes(bytes[b.name])
        }
        let sorted = zip(labels, labels.dropFirst()).allSatisfy { precedes($0, $1) }
        for label in sorted ? labels : labels.sorted(by: precedes) where !label.value.isEmpty {
            appendPart(bytes, label.name, unescaping: false, to: &key)
            appendPart(bytes, label.value, unescaping: true, to: &key)
        }
        return key
    }

    /// Appends the length of the part, then the part (`\\`, `\"` and `\n` undone when `unescaping`).
    private static func appendPart(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, unescaping: Bool, to key: inout [UInt8]) {
        let part = UnsafeRawBufferPointer(rebasing: bytes[range])
        guard unescaping, part.contains(UInt8(ascii: "\\")) else {
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: part.count).littleEndian) { key.append(contentsOf: $0) }
            key.append(contentsOf: part)
            return
        }
        let lengthAt = key.count
        for _ in 0..<4 { key.append(0) }
        var position = range.lowerBound
        while position < range.upperBound {
            var byte = bytes[position]
            position += 1
            if unescaping, byte == UInt8(ascii: "\\"), position < range.upperBound {
                byte = bytes[position] == UInt8(ascii: "n") ? 0x0A : bytes[position]
                position += 1
            }
            key.append(byte)
        }
        var count = UInt32(truncatingIfNeeded: key.count - lengthAt - 4)
        for offset in 0..<4 {
            key[lengthAt + offset] = UInt8(truncatingIfNeeded: count)
            count >>= 8
        }
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

    /// A series key with its hash taken once, over the bytes as one run: the table compares the
    /// hashes before the bytes, and keys of one metric differ mostly at their ends.
    private struct SeriesKey: Hashable {
        let bytes: [UInt8]
        let hash: Int

        init(bytes: [UInt8]) {
            self.bytes = bytes
            var hasher = Hasher()
            bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
            hash = hasher.finalize()
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(hash)
        }

        static func == (left: SeriesKey, right: SeriesKey) -> Bool {
            left.hash == right.hash && left.bytes == right.bytes
        }
    }

    private func quoted(_ name: [UInt8]) -> String {
        name.withUnsafeBytes { SyntaxQuoting.text($0, from: 0, to: $0.count) }
    }
}
