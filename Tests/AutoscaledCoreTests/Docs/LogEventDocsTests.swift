import AutoscaledTestSupport
import Testing
@testable import AutoscaledCore

/// docs/observability.md's table of events names every event the daemon can log, and no other.
struct LogEventDocsTests {
    static let page = "\(repositoryRoot)/docs/observability.md"

    /// The event names in the first column of the table headed `| event | level | fields |`.
    static func documentedEvents() throws -> Set<String> {
        let text = try #require(readFile(page))
        let rows = text.split(separator: "\n").drop { !$0.hasPrefix("| event | level | fields |") }.dropFirst(2)
            .prefix { $0.hasPrefix("|") }
        return Set(rows.flatMap { row in
            row.split(separator: "|").first.map { cell in
                cell.split(separator: "`").enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            } ?? []
        })
    }

    @Test("every event is in the table", arguments: LogEvent.allCases)
    func documented(_ event: LogEvent) throws {
        #expect(try Self.documentedEvents().contains(event.rawValue))
    }

    @Test("the table names no event the daemon does not log")
    func noOthers() throws {
        let events = try Self.documentedEvents()
        #expect(events.count >= 30, "the table was found")
        #expect(events.subtracting(LogEvent.allCases.map(\.rawValue)).isEmpty)
    }
}
