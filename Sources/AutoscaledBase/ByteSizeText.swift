/// Reads and writes sizes in bytes as systemd does: `65536`, `512K`, `64M`, `1G`, with `B` or `iB`
/// allowed after the unit (`64MiB`). Units are powers of 1024.
package enum ByteSizeText {
    package enum Fault: Error, Equatable {
        case malformed
        case unknownUnit(String)
        case tooLarge
    }

    private static let units: [(names: [String], factor: Int)] = [
        (["", "B"], 1), (["K", "KB", "KiB"], 1 << 10), (["M", "MB", "MiB"], 1 << 20), (["G", "GB", "GiB"], 1 << 30),
        (["T", "TB", "TiB"], 1 << 40),
    ]

    /// The size `text` names, in bytes: digits, optional blanks, an optional unit.
    package static func parse(_ text: String) throws(Fault) -> Int {
        let digits = text.prefix { ("0"..."9").contains($0) }
        let unit = text.dropFirst(digits.count).drop { $0 == " " }
        guard !digits.isEmpty, let number = Int(digits) else {
            throw digits.isEmpty ? .malformed : .tooLarge
        }
        // `1.5G` or `12 34` is not a whole number and a unit.
        if let first = unit.first, first == "." || ("0"..."9").contains(first) { throw .malformed }
        guard let factor = units.first(where: { $0.names.contains(String(unit)) })?.factor else {
            throw .unknownUnit(String(unit))
        }
        let (bytes, overflow) = number.multipliedReportingOverflow(by: factor)
        guard !overflow else { throw .tooLarge }
        return bytes
    }

    /// `bytes` in the largest unit that divides it exactly: `64MiB`, `1536KiB`, `100`.
    package static func format(_ bytes: Int) -> String {
        for (names, factor) in units.reversed() where factor > 1 && bytes != 0 && bytes % factor == 0 {
            return "\(bytes / factor)\(names[2])"
        }
        return String(bytes)
    }
}
