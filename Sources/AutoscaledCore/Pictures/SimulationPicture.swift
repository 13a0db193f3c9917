import AutoscaledBase

/// Draws a replay over time: desired and serving replicas, the load of the busiest serving
/// replica, and the requests over capacity, each in its own panel sharing the time axis.
///
/// A long trace is cut into at most ``maxPoints`` equal buckets of whole seconds: a bucket
/// shows the highest desired count, the lowest serving count, the mean load and the mean
/// requests/s over capacity of its seconds, so a week stays a few hundred KB.
struct SimulationPicture {
    static let maxPoints = 2000

    /// Seconds per point.
    let bucketSeconds: Int
    private let title: String
    private(set) var desired: [Double] = []
    private(set) var serving: [Double] = []
    private(set) var load: [Double] = []
    private(set) var overCapacity: [Double] = []
    private var filled = 0
    private var sums = (load: 0.0, over: 0.0, desired: 0, serving: Int.max)

    /// For a replay of `spanSeconds`, drawn from its first second; `title` heads the picture.
    init(spanSeconds: Int, title: String) {
        bucketSeconds = max(1, (spanSeconds + Self.maxPoints - 1) / Self.maxPoints)
        self.title = title
    }

    mutating func add(load: Double, desired: Int, serving: Int, overCapacity: Double) {
        sums.load += load.isFinite ? load : 0
        sums.over += overCapacity
        sums.desired = max(sums.desired, desired)
        sums.serving = min(sums.serving, serving)
        filled += 1
        if filled == bucketSeconds { closeBucket() }
    }

    /// The SVG document; a partly filled last bucket is drawn too.
    mutating func rendered(hasRequests: Bool) -> [UInt8] {
        if filled > 0 { closeBucket() }
        let width = 1000.0
        let panels = hasRequests ? 3 : 2
        let panelHeight = 180.0
        var svg = SVGDocument(width: width, height: 40 + Double(panels) * (panelHeight + 60))
        svg.text(title, x: 60, y: 20, size: 14, bold: true)
        let span = Double(max(1, desired.count * bucketSeconds))
        let xLabel: (Double) -> String = { DurationText.format(.seconds(Int($0))) }
        var top = 60.0
        let replicas = PlotArea(left: 60, top: top, width: width - 80, height: panelHeight, xRange: 0...span,
                                yRange: 0...max(1, (desired.max() ?? 1) * 1.1))
        replicas.drawAxes(&svg, title: "replicas: desired (paid) and serving", xTitle: "time from the start",
                          yTitle: "replicas", xLabel: xLabel, yLabel: { DecimalText.format($0, .atMost(1)) })
        svg.polyline(points(desired, replicas), stroke: "#d62728", title: "desired")
        svg.polyline(points(serving, replicas), stroke: "#1f77b4", title: "serving")
        svg.text("desired", x: replicas.left + replicas.width - 150, y: replicas.top - 8, size: 11, fill: "#d62728", bold: true)
        svg.text("serving", x: replicas.left + replicas.width - 100, y: replicas.top - 8, size: 11, fill: "#1f77b4", bold: true)
        top += panelHeight + 60
        let loads = PlotArea(left: 60, top: top, width: width - 80, height: panelHeight, xRange: 0...span,
                             yRange: 0...max(100, min((load.max() ?? 100) * 1.1, 1000)))
        loads.drawAxes(&svg, title: "load of the busiest serving replica (100 = its capacity)", xTitle: "time from the start",
                       yTitle: "load", xLabel: xLabel, yLabel: { DecimalText.format($0, .fixed(0)) })
        if hasRequests { svg.line(from: (loads.left, loads.y(100)), to: (loads.left + loads.width, loads.y(100)), stroke: "#999", dashed: true) }
        svg.polyline(points(load, loads), stroke: "#2ca02c", title: "load")
        if hasRequests {
            top += panelHeight + 60
            let over = PlotArea(left: 60, top: top, width: width - 80, height: panelHeight, xRange: 0...span,
                                yRange: 0...max(1, (overCapacity.max() ?? 1) * 1.1))
            over.drawAxes(&svg, title: "requests over capacity (per second)", xTitle: "time from the start",
                          yTitle: "requests/s", xLabel: xLabel, yLabel: { DecimalText.format($0, .atMost(1)) })
            svg.polyline(points(overCapacity, over), stroke: "#9467bd", title: "requests over capacity")
        }
        return svg.rendered()
    }

    private func points(_ series: [Double], _ area: PlotArea) -> [(x: Double, y: Double)] {
        series.enumerated().map { index, value in (area.x(Double(index * bucketSeconds)), area.y(value)) }
    }

    private mutating func closeBucket() {
        desired.append(Double(sums.desired))
        serving.append(Double(sums.serving))
        load.append(sums.load / Double(filled))
        overCapacity.append(sums.over / Double(filled))
        sums = (0, 0, 0, Int.max)
        filled = 0
    }
}
