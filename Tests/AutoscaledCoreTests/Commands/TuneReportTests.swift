@testable import AutoscaledCore
import AutoscaledTestSupport
import Testing

struct TuneReportTests {
    @Test("the longest window a tuning part is measured against, and the keys named for it")
    func longestWindow() {
        let bands = PolicyConfig.defaults
        #expect(TuneReport.longestWindow(of: bands) == ("scale_down_stabilization", .seconds(300)))
        #expect(TuneReport.longestWindow(of: modified(bands) { $0.smoothingWindow = .seconds(600) })
            == ("smoothing_window", .seconds(600)))
        #expect(TuneReport.longestWindow(of: modified(bands) { $0.minReplicas = 0; $0.scaleToZeroAfter = .seconds(900) })
            == ("scale_to_zero_after", .seconds(900)))
        let learned = modified(bands) { $0.headroom.mode = .learned }
        #expect(TuneReport.longestWindow(of: learned) == ("headroom_window", .seconds(3600)))
        // The headroom window is the band rules' nothing: not counted without the learned headroom.
        #expect(TuneReport.longestWindow(of: modified(bands) { $0.headroom.window = .seconds(7200) }).key == "scale_down_stabilization")
        let seasonal = modified(learned) { $0.seasonalPeriods = [.seconds(300), .seconds(3600)]; $0.seasonalConfirmations = 3 }
        #expect(TuneReport.longestWindow(of: seasonal) == ("seasonal_periods 1h × seasonal_confirmations 3 =", .seconds(10_800)))
    }
}
