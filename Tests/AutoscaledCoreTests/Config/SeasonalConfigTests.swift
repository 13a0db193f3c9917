@testable import AutoscaledCore
import Testing

/// `seasonal_periods`, `seasonal_confirmations` and `seasonal_min_rise`: read, checked, and errors
/// that name the line and the value.
struct SeasonalConfigTests {
    static func errors(_ policyLine: String) -> [String] {
        ConfigParsing.policyErrors([policyLine])
    }

    @Test("a list of periods is read in order; none is off")
    func periodsRead() throws {
        let config = try ConfigParsing.parse("[source]\npath = /x\n[policy]\nseasonal_periods = 5min, 1h,1d , 7d\n").get()
        #expect(config.policy.seasonalPeriods == [.seconds(300), .seconds(3600), .seconds(86_400), .seconds(604_800)])
        #expect(TypedValue.durations(config.policy.seasonalPeriods.durations).text == "5min, 1h, 1d, 7d")
        let compound = try ConfigParsing.parse("[source]\npath = /x\n[policy]\nseasonal_periods = 1h 30min, 1d\n").get()
        #expect(compound.policy.seasonalPeriods == [.seconds(5400), .seconds(86_400)], "units that descend: one period")
        let off = try ConfigParsing.parse("[source]\npath = /x\n[policy]\nseasonal_periods = none\n").get()
        #expect(off.policy.seasonalPeriods.isEmpty)
    }

    @Test("periods out of range, repeated, too many or malformed are refused with the value at fault",
          arguments: [
              ("seasonal_periods = 30s", "autoscaled.conf:4: seasonal_periods: '30s' is not from 1min to 28d "
                  + "(expected none, or up to 4 durations from 1min to 28d separated by commas, e.g. 1h, 1d)"),
              ("seasonal_periods = 1h, 60min", "autoscaled.conf:4: seasonal_periods: '1h, 60min' names 1h twice ('60min' is 1h) "
                  + "(expected none, or up to 4 durations from 1min to 28d separated by commas, e.g. 1h, 1d)"),
              ("seasonal_periods = 1h,,1d", "autoscaled.conf:4: seasonal_periods: '1h,,1d' has an empty item (nothing "
                  + "between two commas, or before or after one) "
                  + "(expected none, or up to 4 durations from 1min to 28d separated by commas, e.g. 1h, 1d)"),
              ("seasonal_periods = 1h,", "autoscaled.conf:4: seasonal_periods: '1h,' has an empty item (nothing "
                  + "between two commas, or before or after one) "
                  + "(expected none, or up to 4 durations from 1min to 28d separated by commas, e.g. 1h, 1d)"),
              ("seasonal_periods = 5min 15min 30min 1h", "autoscaled.conf:4: seasonal_periods: '5min 15min 30min 1h' "
                  + "reads as one duration of 1h 50min; separate durations with commas "
                  + "(expected none, or up to 4 durations from 1min to 28d separated by commas, e.g. 1h, 1d)"),
              ("seasonal_periods = 5min, 1h 1d", "autoscaled.conf:4: seasonal_periods: '5min, 1h 1d' has "
                  + "'1h 1d', which reads as one duration of 1d 1h; separate durations with commas "
                  + "(expected none, or up to 4 durations from 1min to 28d separated by commas, e.g. 1h, 1d)"),
              ("seasonal_periods = 1min,2min,3min,4min,5min",
               "autoscaled.conf:4: seasonal_periods: '1min,2min,3min,4min,5min' has 5 durations, more than 4 "
                  + "(expected none, or up to 4 durations from 1min to 28d separated by commas, e.g. 1h, 1d)"),
              ("seasonal_confirmations = 0", "autoscaled.conf:4: seasonal_confirmations: '0' must be at least 1"),
              ("seasonal_min_rise = 0.5",
               "autoscaled.conf:4: seasonal_min_rise (0.5) must be at least 1 (a recurring peak is a rise of the load)"),
          ])
    func refused(line: String, error: String) {
        #expect(Self.errors(line) == [error])
    }

    @Test("the periods shortest first, in place, whatever order they were listed in")
    func ascending() {
        let listed: [[Duration]] = [[], [.seconds(60)], [.seconds(3600), .seconds(300)],
                                    [.seconds(86_400), .seconds(60), .seconds(3600), .seconds(300)]]
        for periods in listed {
            #expect(SeasonalPeriods(periods).ascending == SeasonalPeriods(periods.sorted()), "\(periods)")
            #expect(SeasonalPeriods(periods).ascending.count == periods.count)
        }
    }
}
