@testable import AutoscaledBase
import AutoscaledCore
import Testing

struct HTTPResponseTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let response: String
        /// The body, or the error's description.
        let expected: String
        /// Whether reading may stop at these bytes, before the server closes.
        let complete: Bool

        init(_ name: String, _ response: String, _ expected: String, complete: Bool = false) {
            self.name = name
            self.response = response
            self.expected = expected
            self.complete = complete
        }

        var testDescription: String { name }
    }

    @Test("a header line with whitespace before its colon or in its name is refused, not dropped", arguments: [
        Case("a space before the colon", "HTTP/1.1 200 OK\r\nContent-Length : 10\r\n\r\n0123456789 and more",
             "HTTP header line 'Content-Length : 10' has whitespace in its field name or before its colon", complete: true),
        Case("a tab before the colon", "HTTP/1.1 200 OK\r\nContent-Type\t: text/plain\r\n\r\nx",
             "HTTP header line 'Content-Type\\t: text/plai…' has whitespace in its field name or before its colon", complete: true),
        Case("a space inside the name", "HTTP/1.1 200 OK\nX Load: 1\n\nx",
             "HTTP header line 'X Load: 1' has whitespace in its field name or before its colon", complete: true),
        Case("a folded line that starts with a space", "HTTP/1.1 200 OK\nX-A: 1\n X-B: 2\n\nx",
             "HTTP header line ' X-B: 2' has whitespace in its field name or before its colon", complete: true),
        Case("whitespace after the colon is fine", "HTTP/1.1 200 OK\nContent-Length:  \t2\n\nok", "ok", complete: true),
    ])
    func whitespaceBeforeColon(_ row: Case) {
        let outcome: String
        do {
            outcome = String(decoding: try HTTPResponse.body(of: Array(row.response.utf8)), as: UTF8.self)
        } catch {
            outcome = error.description
        }
        #expect(outcome == row.expected)
        #expect(HTTPResponse.isComplete(Array(row.response.utf8)) == row.complete)
    }

    @Test("responses", arguments: [
        Case("a body framed by Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", "hello", complete: true),
        Case("an HTTP/1.0 body that runs to the close", "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nto the end", "to the end"),
        Case("a chunked body", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nqueu\r\n7;ext=1\r\ne 3\nq 1\r\n0\r\n\r\n",
             "queue 3\nq 1", complete: true),
        Case("a chunked body with trailers", "HTTP/1.1 200 OK\r\ntransfer-encoding: CHUNKED\r\n\r\na\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\n",
             "0123456789", complete: true),
        Case("a chunk size padded with leading zeros past 15 digits", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0000000000000002\r\nok\r\n00000000000000000\r\n\r\n",
             "ok", complete: true),
        Case("upper-case hex chunk sizes", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n",
             "0123456789", complete: true),
        Case("bare LF line ends", "HTTP/1.1 200 OK\nContent-Length: 2\n\nok", "ok", complete: true),
        Case("an interim 100 Continue is skipped", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", "ok", complete: true),
        Case("a 204 has no body, so no loads", "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n",
             "HTTP status 204 No Content (no body, so no loads)", complete: true),
        Case("a 503 names its status", "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy", "HTTP status 503 Service Unavailable",
             complete: true),
        Case("a 404 without a reason phrase", "HTTP/1.1 404\r\n\r\n", "HTTP status 404", complete: true),
        Case("a reason phrase is escaped: no byte of the peer's reaches a terminal raw",
             "HTTP/1.1 500 \u{1B}[31mred\u{7}\r\n\r\n", #"HTTP status 500 \u{1b}[31mred\u{7}"#, complete: true),
        Case("an unknown coding is escaped", "HTTP/1.1 200 OK\r\nContent-Encoding: \u{1B}]0;x\u{7}\r\n\r\n",
             #"HTTP body has an unsupported Content-Encoding '\u{1b}]0;x\u{7}'"#, complete: true),
        Case("a body shorter than its Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf",
             "HTTP body cut off: 4 of 10 bytes (Content-Length)"),
        Case("a body longer than its Content-Length: the length is wrong, the first lines are not the whole",
             "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\na 10\nb 90\n",
             "HTTP body longer than its Content-Length: 5 bytes came after the 5 announced", complete: true),
        Case("data after the last chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\na 10\n\r\n0\r\n\r\nc 99\n",
             "chunked HTTP body followed by 5 bytes after its last chunk", complete: true),
        Case("206 Partial Content is a part, never the whole", "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-4/10\r\nContent-Length: 5\r\n\r\na 10\n",
             "HTTP status 206 Partial Content (a part of the document; no range was asked for)", complete: true),
        Case("a chunked body cut off inside a chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nshort",
             "chunked HTTP body cut off inside a chunk"),
        Case("a chunked body without its last chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n",
             "chunked HTTP body cut off before its last chunk"),
        Case("a chunk size that is not hex", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n",
             "malformed chunked HTTP body: expected a hex chunk size, found 'zz'", complete: true),
        Case("a chunk longer than its size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nok\r\n0\r\n\r\n",
             "malformed chunked HTTP body: a chunk is longer than its size", complete: true),
        Case("a signed chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\nok\r\n0\r\n\r\n",
             "malformed chunked HTTP body: expected a hex chunk size, found '-1'", complete: true),
        Case("a chunk size with a 0x prefix", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0x2\r\nok\r\n0\r\n\r\n",
             "malformed chunked HTTP body: expected a hex chunk size, found '0x2'", complete: true),
        Case("a huge chunk size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n",
             "malformed chunked HTTP body: expected a hex chunk size, found 'ffffffffffffffffff'", complete: true),
        Case("a chunk size line with only blanks", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n \t\r\nok\r\n0\r\n\r\n",
             "malformed chunked HTTP body: expected a hex chunk size, found ' \\t'", complete: true),
        Case("a chunk followed by text before its line end", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nokx\r\n0\r\n\r\n",
             "malformed chunked HTTP body: a chunk is longer than its size", complete: true),
        Case("gzip is refused", "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n\u{1F}", "HTTP body has an unsupported Content-Encoding 'gzip'", complete: true),
        Case("another transfer coding is refused", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
             "HTTP body has an unsupported Transfer-Encoding 'gzip'", complete: true),
        Case("a bad Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "HTTP response has an invalid Content-Length '-1'", complete: true),
        Case("gzip under a later identity is refused", "HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Encoding: identity\r\n\r\n\u{1F}",
             "HTTP body has an unsupported Content-Encoding 'gzip, identity'", complete: true),
        Case("an identity Content-Encoding is the body as sent", "HTTP/1.1 200 OK\r\nContent-Encoding: Identity\r\nContent-Length: 2\r\n\r\nok", "ok",
             complete: true),
        Case("chunks of a compressed body are refused", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n1\r\n\u{1F}\r\n0\r\n\r\n",
             "HTTP body has an unsupported Transfer-Encoding 'gzip, chunked'", complete: true),
        Case("a transfer coding on a second line is refused",
             "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n\u{1F}\r\n0\r\n\r\n",
             "HTTP body has an unsupported Transfer-Encoding 'gzip, chunked'", complete: true),
        Case("chunked twice is refused", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
             "HTTP body has an unsupported Transfer-Encoding 'chunked, chunked'", complete: true),
        Case("Content-Length lines that disagree are refused", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 5\r\n\r\nok123",
             "HTTP response has conflicting Content-Length values '2, 5'", complete: true),
        Case("a Content-Length list that disagrees is refused", "HTTP/1.1 200 OK\r\nContent-Length: 5, 2\r\n\r\nok123",
             "HTTP response has conflicting Content-Length values '5, 2'", complete: true),
        Case("a Content-Length repeated alike is one length", "HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\nContent-Length: 2\r\n\r\nok", "ok",
             complete: true),
        Case("a signed Content-Length is refused", "HTTP/1.1 200 OK\r\nContent-Length: +2\r\n\r\nok",
             "HTTP response has an invalid Content-Length '+2'", complete: true),
        Case("an empty Content-Length is refused", "HTTP/1.1 200 OK\r\nContent-Length:\r\n\r\nok",
             "HTTP response has an invalid Content-Length ''", complete: true),
        Case("nothing at all", "", "connection closed with no HTTP response"),
        Case("not HTTP", "SSH-2.0-OpenSSH_9.2\r\n", "not an HTTP response: expected 'HTTP/1.x NNN …', found 'SSH-2.0-OpenSSH_9.2'"),
        Case("headers cut off", "HTTP/1.1 200 OK\r\nContent-Le", "HTTP response cut off in its headers"),
        Case("a status line cut off", "HTTP/1.1 20", "HTTP response cut off in its status line"),
        Case("a status line cut off in its version", "HTT", "HTTP response cut off in its status line"),
        Case("not HTTP, with no line end", #"{"server1": 30}"#, #"not an HTTP response: expected 'HTTP/1.x NNN …', found '{"server1": 30}'"#),
        Case("a header without a colon", "HTTP/1.1 200 OK\r\nbroken\r\n\r\n", "malformed HTTP header line 'broken'", complete: true),
    ])
    func responses(_ testCase: Case) {
        let bytes = Array(testCase.response.utf8)
        let outcome: String
        do {
            outcome = String(decoding: try HTTPResponse.body(of: bytes), as: UTF8.self)
        } catch {
            outcome = error.description
        }
        #expect(outcome == testCase.expected)
        #expect(HTTPResponse.isComplete(bytes) == testCase.complete)
    }

    @Test("a head longer than 64 KiB is refused, and reading stops once one is seen, its end or not")
    func headTooLong() {
        let long = "HTTP/1.1 200 OK\r\n" + String(repeating: "X-A: b\r\n", count: 10_000)
        let whole = Array((long + "Content-Length: 2\r\n\r\nok").utf8)
        do {
            _ = try HTTPResponse.body(of: whole)
            Issue.record("a head of \(whole.count) bytes was read")
        } catch {
            #expect(error.description == "HTTP response headers are longer than 65536 bytes")
        }
        #expect(HTTPResponse.isComplete(Array(long.utf8)), "more than 64 KiB and no end of head: enough to refuse")
        #expect(!HTTPResponse.isComplete(Array("HTTP/1.1 200 OK\r\nX-A: b\r\n".utf8)), "a head still coming")
        #expect(HTTPResponse.isComplete(Array("HTTP/1.1 200 OK\nContent-Length: 2\n\nok".utf8)))
        #expect(!HTTPResponse.isComplete(Array("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok".utf8)))
    }

    @Test("reading stops at a chunked body's end, and only there: bytes that end as a trailer section does are not enough")
    func chunkedEnd() {
        let head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(!HTTPResponse.isComplete(Array((head + "3\r\na\r\n\r\n").utf8)), "a chunk whose data ends in CRLF, then its own CRLF")
        #expect(!HTTPResponse.isComplete(Array((head + "0\r\nX-T: 1\r\n").utf8)), "a trailer section still coming")
        #expect(!HTTPResponse.isComplete(Array((head + "0\r\n").utf8)), "the last chunk without the end of its trailer section")
        #expect(HTTPResponse.isComplete(Array((head + "2\nok\n0\n\n").utf8)), "bare LF line ends")
        #expect(!HTTPResponse.isComplete(Array("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n".utf8)), "the final head still coming")
        #expect(!HTTPResponse.isComplete(Array("HTTP/1.1 200 OK\r\n\r\nto the close".utf8)), "a body framed by the close")
    }

    @Test("asked after every read, the completeness kept from read to read answers as a fresh look at the bytes so far", arguments: [
        "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 100 Continue\n\nHTTP/1.1 200 OK\nContent-Length: 2\n\nok",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nqueu\r\n7;ext=1\r\ne 3\nq 1\r\n0\r\nX-T: 1\r\nX-U: 2\n\r\n",
        "HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n" + String(repeating: "1\nx\n", count: 40) + "0\n\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;" + String(repeating: ";", count: 50) + "\r\nabc\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n" + String(repeating: "X-T: a\r\n", count: 20) + "\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab\r\r\n0\r\n\r\n",
        "HTTP/1.1 503 Busy\r\nContent-Length: 4\r\n\r\nbusy",
        "HTTP/1.1 200 OK\r\n\r\nto the close",
        "HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n",
        String(repeating: "HTTP/1.1 100 Continue\r\nX-A: 1\r\n\r\n", count: 30) + "HTTP/1.1 200 OK\nContent-Length: 1\n\nx",
    ])
    func incremental(_ response: String) {
        let bytes = Array(response.utf8)
        for step in [1, 2, 3, 7] {
            var completeness = HTTPResponse.Completeness()
            var end = 0
            while end < bytes.count {
                end = min(bytes.count, end + step)
                let prefix = Array(bytes[..<end])
                let kept = completeness.isComplete(prefix)
                #expect(kept == HTTPResponse.isComplete(prefix), "\(end) of \(bytes.count) bytes, read \(step) at a time")
                // Reading stops at the first yes.
                if kept { break }
            }
        }
    }

    @Test("the request is a plain GET with Host and Connection: close")
    func request() throws {
        let source = HTTPLoadSource(url: try LoopbackURL.parse("http://[::1]:8000/metrics?x=1"), limits: .defaults, format: .json)
        #expect(source.request == "GET /metrics?x=1 HTTP/1.1\r\nHost: [::1]:8000\r\nUser-Agent: autoscaled/\(AutoscaledVersion.current)\r\n"
            + "Accept: text/plain;version=0.0.4;q=1, */*;q=0.1\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n")
    }

    @Test("a body of a hundred thousand one-byte chunks, sizes padded and with extensions, decodes to its bytes")
    func manyChunks() throws {
        let data = (0..<100_000).map { UInt8(ascii: "a") + UInt8($0 % 26) }
        var response = Array("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        for (index, byte) in data.enumerated() {
            response += Array((index % 3 == 0 ? " 1 ;x=y\r\n" : index % 3 == 1 ? "01\n" : "1\r\n").utf8) + [byte] + Array("\r\n".utf8)
        }
        response += Array("0\r\nX-Trailer: 1\r\n\r\n".utf8)
        #expect(try HTTPResponse.body(of: response) == data)
    }
}
