import AutoscaledBase

/// Reads the loads out of the CSV that HAProxy's runtime API prints for `show stat`.
///
/// ```
/// # pxname,svname,qcur,qmax,scur,smax,slim,…
/// inference,FRONTEND,,,4,9,2000,…
/// inference,gpu-1,0,0,3,5,8,…
/// inference,gpu-2,1,2,8,8,8,…
/// inference,BACKEND,1,2,11,13,200,…
/// ```
/// The servers of one backend (`pxname`) are the servers; its `FRONTEND` and `BACKEND`
/// summary rows, its servers in maintenance (`status` `MAINT…`: disabled, serving nothing) and
/// every other proxy are skipped. The load is one numeric column by its
/// header name (`scur` by default, or `qcur`, `rate`, …), or `utilization`:
/// 100 × `scur` / `slim`, which needs `slim` (the server's `maxconn`) set on every server. Under
/// `qcur`, the `BACKEND` row's `qcur` (requests queued for no server in particular, once every
/// server is at its `maxconn`) is shared equally among the servers read.
/// Fields may be quoted CSV-style. The header must come first, once, and name each column once; a
/// second `#` line (outputs run together), a second row of one server or summary of the backend
/// (in maintenance or not), a row cut off before its newline, a row shorter than the header (of any proxy), a column, proxy or
/// server name that is not UTF-8, an empty or non-numeric load (`scur` and `slim` for `utilization`) rejects the
/// snapshot. Never traps.
public enum HAProxyStatParser {
    /// Parses `bytes` into the backend's servers, in the order HAProxy lists them.
    /// - Throws: ``LoadError/syntax(line:message:)``, or ``LoadError/notFound(_:)`` for a missing
    ///   column or backend, or a backend without servers.
    public static func parse(_ bytes: UnsafeRawBufferPointer, selection: HAProxySelection) throws(LoadError) -> [ServerLoad] {
        try read(bytes, selection: selection).servers
    }

    /// Parses `bytes` into the backend's servers, each with its line and its load as written.
    static func read(_ bytes: UnsafeRawBufferPointer, selection: HAProxySelection) throws(LoadError) -> ParsedLoads {
        var rows = CSVRows(bytes)
        guard let header = try rows.next() else { throw LoadError.syntax(line: 1, message: "no data: expected the 'show stat' header '# pxname,svname,…'") }
        guard let first = header.fields.first, rows.text(first).hasPrefix("#") else {
            throw LoadError.syntax(line: header.line, message: "expected the 'show stat' header '# pxname,svname,…', found \(SyntaxQuoting.text(bytes, from: header.start, to: header.end))")
        }
        var names: [String] = []
        for field in header.fields {
            guard let name = rows.validText(field) else {
                throw LoadError.syntax(line: header.line, message: "column name \(SyntaxQuoting.text(bytes, from: field.lowerBound, to: field.upperBound)) is not valid UTF-8")
            }
            names.append(name)
        }
        names[0] = names[0].dropFirst().trimmingBlanks()
        // HAProxy ends every line with a comma: the header's last, empty name is no column.
        if names.last == "" { names.removeLast() }
        guard names.count >= 2, names[0] == "pxname", names[1] == "svname" else {
            throw LoadError.syntax(line: header.line, message: "expected the header to start with '# pxname,svname', found \(SyntaxQuoting.text(bytes, from: header.start, to: header.end))")
        }
        var seen = Set<String>(minimumCapacity: names.count)
        for (index, name) in names.enumerated() where !seen.insert(name).inserted {
            let field = header.fields[index]
            throw LoadError.syntax(line: header.line, message: "column \(SyntaxQuoting.text(bytes, from: field.lowerBound, to: field.upperBound)) appears twice in the header")
        }
        func column(_ name: String) throws(LoadError) -> Int {
            guard let index = names.firstIndex(of: name) else { throw LoadError.notFound("no column '\(name)' in the 'show stat' header") }
            return index
        }
        let columns: [Int] = switch selection.field {
        case let .column(name): [try column(name)]
        case .utilization: [try column("scur"), try column("slim")]
        }
        let statusColumn = names.firstIndex(of: "status")
        var servers = ParsedLoads(bytes)
        var proxies: [String] = []
        var backendSeen = false
        // The line of each row of the backend read so far, by its `svname`.
        var rowLines: [String: Int] = [:]
        var inMaintenance = 0
        // The backend's own qcur counts the requests queued for no server in particular (all were
        // full): part of the load of every server, though no server row counts it.
        let sharesBackendQueue = selection.field == .column("qcur")
        var backendQueue: (value: Double, line: Int, field: Range<Int>)?
        while let row = try rows.next() {
            guard let pxField = row.fields.first else { continue }
            guard let proxy = rows.validText(pxField) else {
                throw LoadError.syntax(line: row.line, message: "proxy name \(SyntaxQuoting.text(bytes, from: pxField.lowerBound, to: pxField.upperBound)) is not valid UTF-8")
            }
            // A second header is a second table (outputs run together), whose columns may differ.
            guard !proxy.hasPrefix("#") else {
                throw LoadError.syntax(line: row.line, message: "a second header after the one on line \(header.line), found \(SyntaxQuoting.text(bytes, from: row.start, to: row.end)) (concatenated 'show stat' outputs are not one table)")
            }
            guard row.fields.count >= names.count else {
                throw LoadError.syntax(line: row.line, message: "expected at least \(names.count) columns, found \(row.fields.count): "
                    + SyntaxQuoting.text(bytes, from: row.start, to: row.end))
            }
            guard proxy == selection.backend else {
                if proxies.count < 8, !proxies.contains(proxy) { proxies.append(proxy) }
                continue
            }
            backendSeen = true
            guard let name = rows.validText(row.fields[1]) else {
                let field = row.fields[1]
                throw LoadError.syntax(line: row.line, message: "server name \(SyntaxQuoting.text(bytes, from: field.lowerBound, to: field.upperBound)) is not valid UTF-8")
            }
            // One table has one row per server and one of each summary: a second is another table's.
            if let first = rowLines.updateValue(row.line, forKey: name) {
                guard name == "FRONTEND" || name == "BACKEND" else { throw LoadError.duplicateServer(name, line: row.line) }
                throw LoadError.syntax(line: row.line, message: "a second \(name) row of backend \(SyntaxQuoting.name(selection.backend)) (the first is on line \(first))")
            }
            if name == "BACKEND", sharesBackendQueue {
                let field = row.fields[columns[0]]
                // Part of every server's load: none written is no load, not an empty queue.
                guard let queue = try rows.number(field, column: "qcur", server: name, line: row.line) else {
                    throw LoadError.syntax(line: row.line, message: "the BACKEND row has no value in column 'qcur', "
                        + "whose queue field = qcur shares among the servers")
                }
                backendQueue = (value: queue, line: row.line, field: field)
            }
            if name == "FRONTEND" || name == "BACKEND" { continue }
            if let statusColumn, statusColumn < row.fields.count, rows.text(row.fields[statusColumn]).hasPrefix("MAINT") {
                inMaintenance += 1
                continue
            }
            let values = try columns.map { (index: Int) throws(LoadError) -> Double? in
                try rows.number(row.fields[index], column: names[index], server: name, line: row.line)
            }
            guard let value = values[0] else {
                throw LoadError.syntax(line: row.line, message: "server \(SyntaxQuoting.name(name)) has no value in column '\(names[columns[0]])'")
            }
            switch selection.field {
            case .column:
                let field = row.fields[columns[0]]
                servers.append(ServerLoad(name: name, load: value), line: row.line, value: field)
            case .utilization:
                guard let slim = values[1] else {
                    throw LoadError.syntax(line: row.line, message: "server \(SyntaxQuoting.name(name)) has no slim (maxconn), which field = utilization needs")
                }
                let slimField = row.fields[columns[1]]
                guard slim > 0 else {
                    let written = SyntaxQuoting.text(bytes, from: slimField.lowerBound, to: slimField.upperBound)
                    throw LoadError.syntax(line: row.line, message: "server \(SyntaxQuoting.name(name)) has slim \(written), not the positive maxconn field = utilization needs")
                }
                // The share is of sessions held: a negative scur is refused as itself, not as a share.
                if let fault = servers.fault(inLoad: value, of: name, writtenAt: row.fields[columns[0]], line: row.line) { throw fault }
                servers.append(ServerLoad(name: name, load: 100 * value / slim), line: row.line, value: nil)
            }
        }
        guard backendSeen else {
            let found = proxies.isEmpty ? "none" : proxies.map(EscapedText.plain).joined(separator: ", ")
            throw LoadError.notFound("no backend \(EscapedText.quoted(selection.backend)) in the stats (proxies: \(found))")
        }
        guard !servers.servers.isEmpty else {
            let all = inMaintenance == 0 ? "" : " out of maintenance (\(inMaintenance) in it)"
            throw LoadError.notFound("backend \(EscapedText.quoted(selection.backend)) has no servers\(all)")
        }
        // A table without the BACKEND row (a `show stat` filtered to servers) has no word of the
        // queue every server waits behind: that is a queue unknown, not an empty one.
        guard !sharesBackendQueue || backendQueue != nil else {
            throw LoadError.notFound("backend \(EscapedText.quoted(selection.backend)) has no BACKEND row, whose qcur "
                + "field = qcur shares among the servers (ask for the whole backend: 'show stat' with no filter, or type -1)")
        }
        if let backendQueue { try share(backendQueue, among: &servers) }
        return servers
    }

    /// Adds an equal part of the backend's queue to each server's own; the queue and each server's
    /// own must be a load by themselves, so that a negative one is not hidden by the sum.
    private static func share(_ queue: (value: Double, line: Int, field: Range<Int>), among servers: inout ParsedLoads) throws(LoadError) {
        if let fault = servers.fault(inLoad: queue.value, of: "BACKEND", writtenAt: queue.field, line: queue.line) { throw fault }
        for index in servers.servers.indices {
            if let fault = servers.fault(at: index) { throw fault }
        }
        guard queue.value > 0 else { return }
        let share = queue.value / Double(servers.servers.count)
        for index in servers.servers.indices {
            servers.servers[index].load += share
            servers.origins[index].value = nil
        }
    }

    /// Parses `bytes` into the backend's servers, in the order HAProxy lists them.
    public static func parse(_ bytes: [UInt8], selection: HAProxySelection) throws(LoadError) -> [ServerLoad] {
        let result = bytes.withUnsafeBytes { buffer in
            Result { () throws(LoadError) in try parse(buffer, selection: selection) }
        }
        return try result.get()
    }
}

/// The non-empty lines of a CSV document, each cut into fields (`"…"` quoting, `""` inside).
private struct CSVRows {
    struct Row {
        var line: Int
        var start: Int
        var end: Int
        var fields: [Range<Int>]
    }

    let bytes: UnsafeRawBufferPointer
    private var lines: ByteLines

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
        self.lines = ByteLines(bytes)
    }

    /// The next non-empty row; `nil` at the end.
    /// - Throws: when a row is not ended by a newline (the data may be cut off).
    mutating func next() throws(LoadError) -> Row? {
        while let line = try lines.next() {
            let (start, end) = (line.range.lowerBound, line.range.upperBound)
            guard end > start else { continue }
            guard line.terminated else { throw ByteLines.cutOff(line: line.number) }
            return Row(line: line.number, start: start, end: end, fields: fields(from: start, to: end))
        }
        return nil
    }

    private func fields(from start: Int, to end: Int) -> [Range<Int>] {
        var fields: [Range<Int>] = []
        var cursor = start
        while true {
            let fieldStart = cursor
            if cursor < end, bytes[cursor] == UInt8(ascii: "\"") {
                cursor += 1
                while cursor < end {
                    if bytes[cursor] == UInt8(ascii: "\"") {
                        if cursor + 1 < end, bytes[cursor + 1] == UInt8(ascii: "\"") { cursor += 2; continue }
                        cursor += 1
                        break
                    }
                    cursor += 1
                }
            }
            while cursor < end, bytes[cursor] != UInt8(ascii: ",") { cursor += 1 }
            fields.append(fieldStart..<cursor)
            guard cursor < end else { return fields }
            cursor += 1
        }
    }

    /// A field's text: quotes removed and `""` undone; invalid UTF-8 is replaced.
    func text(_ range: Range<Int>) -> String {
        let slice = UnsafeRawBufferPointer(rebasing: bytes[range])
        guard isQuoted(slice) else { return String(decoding: slice, as: UTF8.self) }
        return String(decoding: unquoted(slice), as: UTF8.self)
    }

    /// A field's text as ``text(_:)`` gives it; `nil` when it is not valid UTF-8.
    func validText(_ range: Range<Int>) -> String? {
        let slice = UnsafeRawBufferPointer(rebasing: bytes[range])
        guard isQuoted(slice) else {
            return slice.allSatisfy { $0 < 0x80 } ? String(decoding: slice, as: UTF8.self) : String(validating: slice, as: UTF8.self)
        }
        return String(validating: unquoted(slice), as: UTF8.self)
    }

    private func isQuoted(_ slice: UnsafeRawBufferPointer) -> Bool {
        slice.count >= 2 && slice.first == UInt8(ascii: "\"") && slice.last == UInt8(ascii: "\"")
    }

    /// A quoted field's bytes, quotes removed and `""` undone.
    private func unquoted(_ field: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        var skip = false
        for byte in field.dropFirst().dropLast() {
            if skip { skip = false; continue }
            out.append(byte)
            if byte == UInt8(ascii: "\"") { skip = true }
        }
        return out
    }

    /// The field as a number; `nil` when it is empty.
    func number(_ range: Range<Int>, column: String, server: String, line: Int) throws(LoadError) -> Double? {
        guard !range.isEmpty else { return nil }
        switch DecimalNumber.parse(bytes, from: range.lowerBound, to: range.upperBound, grammar: .plain) {
        case let .value(value):
            // HAProxy writes every count, rate, time and maxconn as a whole number: a fraction is
            // not its table (and a `slim` of 0.5 would make a utilization of 200 × scur).
            guard value == value.rounded() else {
                throw LoadError.syntax(line: line, message: "expected a whole number in column '\(column)' of server "
                    + "\(SyntaxQuoting.name(server)), as HAProxy writes it, found "
                    + SyntaxQuoting.text(bytes, from: range.lowerBound, to: range.upperBound))
            }
            return value
        case .outOfRange, .malformed:
            throw LoadError.syntax(line: line, message: "expected a number in column '\(column)' of server \(SyntaxQuoting.name(server)), found \(SyntaxQuoting.text(bytes, from: range.lowerBound, to: range.upperBound))")
        }
    }
}
