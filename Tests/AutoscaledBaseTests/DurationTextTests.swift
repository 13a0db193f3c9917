import Testing
@testable import AutoscaledBase

struct DurationTextTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let text: String
        let duration: Duration
        var testDescription: String { "'\(text)'" }
        init(_ text: String, _ duration: Duration) {
            self.text = text
            self.duration = duration
        }
    }

    @Test("systemd-style durations are read", arguments: [
        Case("250ms", .milliseconds(250)),
        Case("5s", .seconds(5)),
        Case("2min", .seconds(120)),
        Case("1h", .seconds(3_600)),
        Case("1.5s", .milliseconds(1_500)),
        Case(".5s", .milliseconds(500)),
        Case("1min 30s", .seconds(90)),
        Case("1min30s", .seconds(90)),
        Case("1h 2min 3s 4ms 5us", .seconds(3_723) + .microseconds(4_005)),
        Case("5", .seconds(5)),
        Case("0", .zero),
        Case("0s", .zero),
        Case("  7 s  ", .seconds(7)),
        Case("10us", .microseconds(10)),
        Case("10usec", .microseconds(10)),
        Case("10µs", .microseconds(10)),
        Case("3msec", .milliseconds(3)),
        Case("2sec", .seconds(2)),
        Case("1second", .seconds(1)),
        Case("2seconds", .seconds(2)),
        Case("3m", .seconds(180)),
        Case("1minute", .seconds(60)),
        Case("2minutes", .seconds(120)),
        Case("1hr", .seconds(3_600)),
        Case("1hour", .seconds(3_600)),
        Case("2hours", .seconds(7_200)),
        Case("1d", .seconds(86_400)),
        Case("1day", .seconds(86_400)),
        Case("2days", .seconds(172_800)),
        Case("0.25h", .seconds(900)),
        Case("1.0000004s", .seconds(1)),
    ])
    func parses(_ testCase: Case) throws {
        #expect(try DurationText.parse(testCase.text) == testCase.duration)
    }

    struct BadCase: CustomTestStringConvertible, Sendable {
        let text: String
        let failure: DurationText.Failure
        var testDescription: String { "'\(text)'" }
        init(_ text: String, _ failure: DurationText.Failure) {
            self.text = text
            self.failure = failure
        }
    }

    @Test("bad durations are rejected with the reason", arguments: [
        BadCase("", .empty),
        BadCase("   ", .empty),
        BadCase("-5s", .negative),
        BadCase("-.5s", .negative),
        BadCase("1min -5s", .malformed),
        BadCase("--1s", .malformed),
        BadCase("- 1s", .malformed),
        BadCase("-", .malformed),
        BadCase("nan", .notFinite),
        BadCase("inf", .notFinite),
        BadCase("-Infinity", .notFinite),
        BadCase("5 parsecs", .unknownUnit("parsecs")),
        BadCase("5M", .unknownUnit("M")),
        BadCase("1e3s", .unknownUnit("e")),
        BadCase("fast", .malformed),
        BadCase("5s,", .malformed),
        BadCase("+5s", .malformed),
        BadCase("s", .malformed),
        BadCase(".", .malformed),
        BadCase("1.", .malformed),
        BadCase("1..5s", .malformed),
        BadCase("1.5.3", .malformed),
        BadCase("5s5", .malformed),
        BadCase("1min 30", .malformed),
        BadCase("30 1min", .malformed),
        BadCase("99999999999999999999s", .tooLarge),
        BadCase("300000000d", .tooLarge),
    ])
    func rejects(_ testCase: BadCase) {
        #expect(throws: testCase.failure) { try DurationText.parse(testCase.text) }
    }

    @Test("minus zero is zero, not a negative duration")
    func minusZero() throws {
        #expect(try DurationText.parse("-0") == .zero)
        #expect(try DurationText.parse("-0s") == .zero)
        #expect(try DurationText.parse("-0.0ms") == .zero)
    }

    @Test("durations format as canonical systemd text", arguments: [
        Case("0", .zero),
        Case("250ms", .milliseconds(250)),
        Case("5s", .seconds(5)),
        Case("2min", .seconds(120)),
        Case("1h", .seconds(3_600)),
        Case("1min 30s", .seconds(90)),
        Case("1s 500ms", .milliseconds(1_500)),
        Case("1d 1h 1min 1s 1ms 1us", .seconds(90_061) + .microseconds(1_001)),
        Case("2d", .seconds(172_800)),
        Case("-5s", .seconds(-5)),
        Case("0", .nanoseconds(999)),
    ])
    func formats(_ testCase: Case) {
        #expect(DurationText.format(testCase.duration) == testCase.text)
    }

    @Test("formatting then parsing gives the same duration", arguments: [
        Duration.zero, .microseconds(1), .milliseconds(250), .seconds(5), .seconds(90),
        .seconds(3_723) + .microseconds(4_005), .seconds(86_400 * 400 + 1), .microseconds(Int64.max),
    ])
    func roundTrips(_ duration: Duration) throws {
        #expect(try DurationText.parse(DurationText.format(duration)) == duration)
    }

    @Test("parsing then formatting gives canonical text", arguments: [
        ("90s", "1min 30s"), ("1.5s", "1s 500ms"), ("60min", "1h"), ("0.0s", "0"), ("1 min 30 sec", "1min 30s"),
    ])
    func canonicalises(_ text: String, _ canonical: String) throws {
        #expect(DurationText.format(try DurationText.parse(text)) == canonical)
    }

    @Test("units that descend are one duration; units that do not read as a list without commas", arguments: [
        ("5s", true), ("1h 30min", true), ("1min30s", true), ("1d 2h 3min 4s 5ms 6us", true), ("90", true),
        ("5min 15min 30min 1h", false), ("1h 1d", false), ("1min 1min", false), ("30s 1min", false), ("nope", false),
    ])
    func unitsDescend(_ text: String, _ descend: Bool) {
        #expect(DurationText.unitsDescend(text) == descend)
    }
}
