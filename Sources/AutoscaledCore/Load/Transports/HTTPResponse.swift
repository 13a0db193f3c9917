import AutoscaledBase

/// The pure half of the `http` source: reading an HTTP/1.x response from its bytes.
///
/// A response is accepted when its status is 2xx but 206 (a part); its body is framed by
/// `Transfer-Encoding: chunked` (decoded; no other transfer coding, alone or with it), else
/// `Content-Length` (decimal digits; repeated, every value the same; it must be met exactly), else the
/// end of the connection. Interim 1xx responses are skipped. Header lines may end in CRLF or LF;
/// one with whitespace in its field name or before its colon (`Content-Length : 10`) is refused.
/// A compressed body (`Content-Encoding` other than `identity`) is refused: none is asked for.
public enum HTTPResponse {
    /// The body of the response in `bytes`.
    /// - Throws: ``LoadError/unreadable(_:)`` naming the status of a non-2xx response, or what is
    ///   wrong with the framing (cut off, malformed chunk, short body).
    public static func body(of bytes: [UInt8]) throws(LoadError) -> [UInt8] {
        var head = try Head.read(bytes, from: 0)
        while (100...199).contains(head.status) { head = try Head.read(bytes, from: head.bodyStart) }
        guard (200...299).contains(head.status), head.status != 206, head.status != 204 else {
            // 206 is a part of the document, though no range was asked for: never a whole snapshot.
            let part = head.status == 206 ? " (a part of the document; no range was asked for)"
                : head.status == 204 ? " (no body, so no loads)" : ""
            throw .unreadable("HTTP status \(head.status)\(head.reason.isEmpty ? "" : " " + EscapedText.plain(head.reason))\(part)")
        }
        let encodings = head.codings(of: "content-encoding")
        if !encodings.allSatisfy({ $0 == "identity" }) {
            throw .unreadable("HTTP body has an unsupported Content-Encoding \(EscapedText.quoted(head.values(of: "content-encoding")))")
        }
        let transferCodings = head.codings(of: "transfer-encoding")
        if !transferCodings.isEmpty {
            // Only `chunked` alone is read: under `gzip, chunked` the chunks hold compressed bytes.
            guard transferCodings == ["chunked"] else {
                throw .unreadable("HTTP body has an unsupported Transfer-Encoding \(EscapedText.quoted(head.values(of: "transfer-encoding")))")
            }
            return try dechunk(bytes, from: head.bodyStart)
        }
        if let length = try head.contentLength() {
            let available = bytes.count - head.bodyStart
            guard available >= length else {
                throw .unreadable("HTTP body cut off: \(available) of \(length) bytes (Content-Length)")
            }
            // More came with it than announced: the length is wrong, so the body may be cut anywhere.
            guard available == length else {
                throw .unreadable("HTTP body longer than its Content-Length: \(available - length) bytes came after the \(length) announced")
            }
            return Array(bytes[head.bodyStart..<(head.bodyStart + length)])
        }
        return Array(bytes[head.bodyStart...])
    }

    /// The longest head (status line and header fields) read: 64 KiB.
    public static let maxHeadBytes = 64 * 1024

    /// Whether `bytes` already hold enough to stop reading before the server closes (see
    /// ``Completeness``), looked at afresh.
    public static func isComplete(_ bytes: [UInt8]) -> Bool {
        var completeness = Completeness()
        return completeness.isComplete(bytes)
    }

    /// Whether the bytes read so far already hold enough to stop reading before the server closes:
    /// a final head (after any interim 1xx ones) that ``body(of:)`` refuses whatever follows (a
    /// status but 2xx, a 206, a `Content-Encoding` or a transfer coding it does not read, a
    /// `Content-Length` it cannot, a head it cannot read at all), or that has no body (204, 304), or
    /// a body whole: an announced `Content-Length` met, a chunked body's last chunk and trailer
    /// section in (or a chunk that breaks its framing, which more bytes cannot mend); or a head
    /// already longer than ``maxHeadBytes``. `Connection: close` is asked for, but a server that
    /// keeps the connection open anyway is answered as soon as its response is whole, not at
    /// `read_timeout`. Only a body framed by the close is read to it.
    ///
    /// Asked after every read with the bytes so far (each call's a prefix of the next), it keeps
    /// where it got to: a read costs what it added, so a response of a million small chunks, or a
    /// trailer section or a chunk-size line that never ends, is looked at in linear time.
    public struct Completeness: Sendable {
        private enum Stage: Sendable {
            /// A head starting at `start`; no head end is among the bytes before `searched`.
            case head(start: Int, searched: Int)
            /// A chunked body: the next chunk-size line.
            case chunks(ChunkCursor)
            /// The trailer section: the next trailer line.
            case trailers(ChunkCursor)
            /// A body of known length, whole once `end` bytes are in.
            case length(end: Int)
            /// A body framed by the close (or a response already whole): `whole` says which.
            case settled(whole: Bool)
        }

        private var stage = Stage.head(start: 0, searched: 0)

        public init() {}

        /// Whether `bytes` (a longer prefix of the same response than at the call before) hold a
        /// whole response, or one that more bytes cannot make acceptable.
        public mutating func isComplete(_ bytes: [UInt8]) -> Bool {
            while true {
                switch stage {
                case let .head(start, searched):
                    guard let end = headEnd(bytes, from: start, searchingFrom: searched) else {
                        // A newline in the last two bytes may yet start the empty line.
                        stage = .head(start: start, searched: max(start, bytes.count - 2))
                        return bytes.count - start > maxHeadBytes
                    }
                    // Only this head's bytes: a flood of interim heads costs their bytes once.
                    var head = try? Head.read(Array(bytes[start..<end]), from: 0)
                    head?.bodyStart += start
                    stage = Self.stage(after: head)
                case var .chunks(cursor):
                    var skipped: [UInt8]?
                    let walk = bytes.withUnsafeBufferPointer { walkChunks($0, from: &cursor, into: &skipped) }
                    switch walk {
                    case .cutOff:
                        stage = .chunks(cursor)
                        return false
                    case .malformed: stage = .settled(whole: true)
                    case let .end(trailers): stage = .trailers(ChunkCursor(trailers))
                    }
                case var .trailers(cursor):
                    let ended = trailerSectionEnds(bytes, at: &cursor)
                    stage = ended ? .settled(whole: true) : .trailers(cursor)
                    return ended
                case let .length(end):
                    return bytes.count >= end
                case let .settled(whole):
                    return whole
                }
            }
        }

        /// What follows a head read whole (`nil`: one that cannot be read).
        private static func stage(after head: Head?) -> Stage {
            guard let head else { return .settled(whole: true) }
            if (100...199).contains(head.status) { return .head(start: head.bodyStart, searched: head.bodyStart) }
            guard (200...299).contains(head.status), head.status != 206, head.status != 204,
                  head.codings(of: "content-encoding").allSatisfy({ $0 == "identity" })
            else { return .settled(whole: true) }
            let transferCodings = head.codings(of: "transfer-encoding")
            if !transferCodings.isEmpty {
                // Another coding is refused whole (``body(of:)``), its bytes unread.
                return transferCodings == ["chunked"] ? .chunks(ChunkCursor(head.bodyStart)) : .settled(whole: true)
            }
            guard let length = try? head.contentLength() else {
                // Framed by the close when absent; refused whole when it cannot be read.
                return .settled(whole: head.fields.contains { $0.name == "content-length" })
            }
            return .length(end: head.bodyStart + length)
        }
    }

    /// Whether the trailer section has ended (its empty line is in), moving `cursor` past the
    /// trailer lines that are whole.
    private static func trailerSectionEnds(_ bytes: [UInt8], at cursor: inout ChunkCursor) -> Bool {
        while let lineFeed = cursor.lineFeed(in: bytes) {
            let length = lineFeed - cursor.lineStart
            if length == 0 || (length == 1 && bytes[cursor.lineStart] == UInt8(ascii: "\r")) { return true }
            cursor = ChunkCursor(lineFeed + 1)
        }
        return false
    }

    /// Where the head that starts at `start` ends (after its empty line), if it ends within
    /// ``maxHeadBytes``; no head end is looked for before `searched`.
    private static func headEnd(_ bytes: [UInt8], from start: Int, searchingFrom searched: Int) -> Int? {
        let newline = UInt8(ascii: "\n")
        var index = max(start, searched)
        let limit = min(bytes.count, start + maxHeadBytes)
        while index < limit {
            guard let found = bytes[index..<limit].firstIndex(of: newline) else { return nil }
            let next = found + 1
            if next < bytes.count, bytes[next] == newline { return next + 1 }
            if next + 1 < bytes.count, bytes[next] == UInt8(ascii: "\r"), bytes[next + 1] == newline { return next + 2 }
            index = next
        }
        return nil
    }

    /// The status line and header fields of one response.
    struct Head {
        var status: Int
        var reason: String
        /// Field names lower-cased, values trimmed.
        var fields: [(name: String, value: String)]
        var bodyStart: Int

        /// Every value of the field `name`, joined as one list (`a, b`); empty when it is absent.
        func values(of name: String) -> String {
            fields.filter { $0.name == name }.map(\.value).joined(separator: ", ")
        }

        /// The codings the field `name` lists, over all its lines, lower-cased.
        func codings(of name: String) -> [String] {
            values(of: name).split(separator: ",").map { $0.trimmingBlanks().lowercased() }.filter { !$0.isEmpty }
        }

        /// The `Content-Length`, `nil` when absent.
        /// - Throws: when it is not decimal digits, or when several lines or list items disagree.
        func contentLength() throws(LoadError) -> Int? {
            guard fields.contains(where: { $0.name == "content-length" }) else { return nil }
            let text = values(of: "content-length")
            var length: Int?
            for item in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingBlanks() }) {
                guard !item.isEmpty, item.count <= 18, item.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int(item) else {
                    throw .unreadable("HTTP response has an invalid Content-Length \(quoted(text))")
                }
                guard length == nil || length == value else {
                    throw .unreadable("HTTP response has conflicting Content-Length values \(quoted(text))")
                }
                length = value
            }
            return length
        }

        static func read(_ bytes: [UInt8], from start: Int) throws(LoadError) -> Head {
            var cursor = start
            guard let statusLine = line(bytes, &cursor) else {
                if start == 0 && bytes.isEmpty { throw .unreadable("connection closed with no HTTP response") }
                // Bytes that cannot begin a status line are no HTTP response, cut off or not.
                let version = Array("HTTP/1.".utf8)
                guard bytes[start...].prefix(version.count).elementsEqual(version.prefix(bytes.count - start)) else {
                    throw .unreadable("not an HTTP response: expected 'HTTP/1.x NNN …', "
                        + "found \(quoted(String(decoding: bytes[start...].prefix(256), as: UTF8.self)))")
                }
                throw .unreadable("HTTP response cut off in its status line")
            }
            let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, parts[0] == "HTTP/1.1" || parts[0] == "HTTP/1.0",
                  parts[1].count == 3, let status = Int(parts[1]), status >= 100 else {
                throw .unreadable("not an HTTP response: expected 'HTTP/1.x NNN …', found \(quoted(statusLine))")
            }
            var fields: [(name: String, value: String)] = []
            while true {
                guard cursor - start <= maxHeadBytes else {
                    throw .unreadable("HTTP response headers are longer than \(maxHeadBytes) bytes")
                }
                guard let field = line(bytes, &cursor) else { throw .unreadable("HTTP response cut off in its headers") }
                if field.isEmpty { break }
                guard let colon = field.firstIndex(of: ":"), colon != field.startIndex else {
                    throw .unreadable("malformed HTTP header line \(quoted(field))")
                }
                // RFC 9112 §5.1: whitespace between a field name and its colon must be rejected, as
                // proxies disagree on the name it makes (`Content-Length ` framing the body or not).
                guard !field[..<colon].contains(where: { $0 == " " || $0 == "\t" }) else {
                    throw .unreadable("HTTP header line \(quoted(field)) has whitespace in its field name or before its colon")
                }
                fields.append((field[..<colon].lowercased(), String(field[field.index(after: colon)...]).trimmingBlanks()))
            }
            return Head(status: status, reason: parts.count > 2 ? String(parts[2]) : "", fields: fields, bodyStart: cursor)
        }
    }

    /// Decodes a chunked body starting at `start`; trailer fields are read past and dropped.
    ///
    /// Works on the bytes, making no text but for an error: a body of millions of one-byte chunks
    /// (which `max_response_bytes` allows) decodes in time linear in its size, and fast.
    static func dechunk(_ bytes: [UInt8], from start: Int) throws(LoadError) -> [UInt8] {
        var body: [UInt8]? = []
        body?.reserveCapacity(max(0, bytes.count - start))
        var cursor = ChunkCursor(start)
        let walk = bytes.withUnsafeBufferPointer { walkChunks($0, from: &cursor, into: &body) }
        switch walk {
        case let .cutOff(error), let .malformed(error): throw error
        case let .end(trailers):
            var cursor = trailers
            while let trailer = line(bytes, &cursor), !trailer.isEmpty {}
            guard cursor >= bytes.count else {
                throw .unreadable("chunked HTTP body followed by \(bytes.count - cursor) bytes after its last chunk")
            }
            return body ?? []
        }
    }

    /// Where a walk through a chunked body ended.
    private enum ChunkWalk {
        /// The last chunk's size line is read: the trailer section starts here.
        case end(Int)
        /// The bytes end before the last chunk: more may come.
        case cutOff(LoadError)
        /// A chunk breaks the framing: more bytes cannot mend it.
        case malformed(LoadError)
    }

    /// Where a walk through a chunked body (or its trailer section) goes on: the line that starts at
    /// `lineStart`, whose line feed is not among the bytes before `searched`.
    private struct ChunkCursor: Sendable {
        var lineStart: Int
        var searched: Int

        init(_ lineStart: Int) { (self.lineStart, searched) = (lineStart, lineStart) }

        /// The line feed that ends the line, if it is in; the search goes on from where it stopped.
        mutating func lineFeed(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
            var index = max(lineStart, searched)
            while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
            searched = index
            return index < bytes.count ? index : nil
        }

        mutating func lineFeed(in bytes: [UInt8]) -> Int? {
            bytes.withUnsafeBufferPointer { lineFeed(in: $0) }
        }
    }

    /// Walks the chunks from `cursor` up to the last chunk's size line, appending their data to
    /// `body` (when given; without, the data is skipped, so a walk costs the chunks, not the bytes).
    /// Where the bytes end before the last chunk, `cursor` is left at the chunk they end in.
    private static func walkChunks(
        _ bytes: UnsafeBufferPointer<UInt8>, from cursor: inout ChunkCursor, into body: inout [UInt8]?
    ) -> ChunkWalk {
        let (newline, carriageReturn) = (UInt8(ascii: "\n"), UInt8(ascii: "\r"))
        while true {
            let start = cursor.lineStart
            guard let lineFeed = cursor.lineFeed(in: bytes) else {
                return .cutOff(.unreadable("chunked HTTP body cut off before its last chunk"))
            }
            let lineEnd = lineFeed > start && bytes[lineFeed - 1] == carriageReturn ? lineFeed - 1 : lineFeed
            guard let size = chunkSize(bytes, from: start, to: lineEnd) else {
                let found = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<lineEnd]), as: UTF8.self)
                return .malformed(.unreadable("malformed chunked HTTP body: expected a hex chunk size, found \(quoted(found))"))
            }
            var next = lineFeed + 1
            if size == 0 { return .end(next) }
            guard bytes.count - next >= size else { return .cutOff(.unreadable("chunked HTTP body cut off inside a chunk")) }
            // The chunk's data ends with its own empty line: LF or CRLF, nothing before it.
            let dataEnd = next + size
            if dataEnd < bytes.count, bytes[dataEnd] == newline {
                body?.append(contentsOf: UnsafeBufferPointer(start: bytes.baseAddress! + next, count: size))
                next = dataEnd + 1
            } else if dataEnd + 1 < bytes.count, bytes[dataEnd] == carriageReturn, bytes[dataEnd + 1] == newline {
                body?.append(contentsOf: UnsafeBufferPointer(start: bytes.baseAddress! + next, count: size))
                next = dataEnd + 2
            } else {
                let error = LoadError.unreadable("malformed chunked HTTP body: a chunk is longer than its size")
                // The bytes end at the data's end, or inside its CRLF: the line end may still come.
                let endsEarly = dataEnd == bytes.count || (dataEnd + 1 == bytes.count && bytes[dataEnd] == carriageReturn)
                return endsEarly ? .cutOff(error) : .malformed(error)
            }
            cursor = ChunkCursor(next)
        }
    }

    /// The size a chunk-size line gives: hex digits (at most 15 after leading zeros), blanks around
    /// them, and any chunk extension (`;name=value`) after them; `nil` when it is anything else.
    private static func chunkSize(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to lineEnd: Int) -> Int? {
        var end = start
        while end < lineEnd, bytes[end] != UInt8(ascii: ";") { end += 1 }
        var first = start
        while first < end, bytes[first] == UInt8(ascii: " ") || bytes[first] == UInt8(ascii: "\t") { first += 1 }
        while end > first, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        guard end > first else { return nil }
        // RFC 9112's chunk-size is 1*HEXDIG: leading zeros say nothing of the size.
        while end - first > 1, bytes[first] == UInt8(ascii: "0") { first += 1 }
        guard end - first <= 15 else { return nil }
        var size = 0
        for index in first..<end {
            guard let digit = HexDigit.value(bytes[index]) else { return nil }
            size = size << 4 | Int(digit)
        }
        return size
    }

    /// The line at `cursor` without its LF or CRLF, moving past it; `nil` when no LF ends it.
    private static func line(_ bytes: [UInt8], _ cursor: inout Int) -> String? {
        guard cursor < bytes.count, let newline = bytes[cursor...].firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        var end = newline
        if end > cursor, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let text = String(decoding: bytes[cursor..<end], as: UTF8.self)
        cursor = newline + 1
        return text
    }

    private static func quoted(_ text: String) -> String {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { SyntaxQuoting.text($0, from: 0, to: $0.count) }
    }
}
