import AutoscaledBase


/// Draws `tune`'s search: every setting tried as a dot at (requests over capacity, replica-seconds)
/// on the tuning part, the goal as a line, the config's own setting, the winner and the HPA and
/// KPA models marked.
struct TunePicture {
    let report: TuneReport

    func rendered() -> [UInt8] {
        let tried = report.result.tried
        let marked = [(report.rows[0], "#d62728", "winner"), (report.rows[1], "#ff7f0e", "this config"),
                      (report.rows[2], "#1f77b4", "hpa 0.7"), (report.rows[3], "#2ca02c", "kpa 0.7")]
        let overs = tried.map(\.score.overPercent) + marked.map(\.0.tuning.overPercent) + [report.options.maxOverPercent]
        let costs = tried.map { Double($0.score.replicaSeconds) } + marked.map { Double($0.0.tuning.replicaSeconds) }
        // Settings far worse than the rest would squash the picture: the axes stop at twice the
        // config's and the models' figures (dots beyond sit on the edge).
        let reference = marked.dropFirst()
        let maxOver = min(overs.max() ?? 1, max(2 * (reference.map(\.0.tuning.overPercent).max() ?? 1), 2 * report.options.maxOverPercent, 1))
        let maxCost = min(costs.max() ?? 1, 2 * (reference.map { Double($0.0.tuning.replicaSeconds) }.max() ?? 1))
        var svg = SVGDocument(width: 900, height: 620)
        svg.text("\(report.traceName): cost and service of \(tried.count) settings (tuning part)", x: 70, y: 24, size: 14, bold: true)
        let area = PlotArea(left: 80, top: 60, width: 760, height: 480, xRange: 0...max(maxOver * 1.05, 0.01),
                            yRange: 0...max(maxCost * 1.05, 1))
        area.drawAxes(&svg, title: "", xTitle: "requests over capacity (%)", yTitle: "replica-seconds",
                      xLabel: { DecimalText.format($0, .atMost(2)) }, yLabel: { Self.short($0) })
        let goal = report.options.maxOverPercent
        svg.line(from: (area.x(goal), area.top), to: (area.x(goal), area.top + area.height), stroke: "#d62728", dashed: true)
        svg.text("goal \(DecimalText.format(goal, .atMost(2))) %", x: area.x(goal) + 4, y: area.top + 12,
                 size: 10, fill: "#d62728")
        for candidate in tried {
            svg.circle(x: area.x(min(candidate.score.overPercent, area.xRange.upperBound)),
                       y: area.y(Double(candidate.score.replicaSeconds)), radius: 2.2, fill: "#888",
                       title: "\(candidate.score.replicaSeconds) replica-s, "
                           + "\(DecimalText.format(candidate.score.overPercent, .fixed(2))) % over")
        }
        for (index, (row, colour, name)) in marked.enumerated() {
            let x = area.x(min(row.tuning.overPercent, area.xRange.upperBound))
            let y = area.y(Double(row.tuning.replicaSeconds))
            svg.circle(x: x, y: y, radius: 6, fill: colour, stroke: "#000", title: row.label)
            svg.text(name, x: x + 8, y: y - 6, size: 11, fill: colour, bold: index == 0)
            svg.circle(x: 640, y: 80 + Double(index) * 18, radius: 5, fill: colour, stroke: "#000")
            svg.text(row.label, x: 650, y: 84 + Double(index) * 18, size: 11)
        }
        return svg.rendered()
    }

    /// `12k`, `1.2M` or the number itself.
    static func short(_ value: Double) -> String {
        if value >= 1_000_000 { return DecimalText.format(value / 1_000_000, .atMost(1)) + "M" }
        if value >= 1_000 { return DecimalText.format(value / 1_000, .atMost(1)) + "k" }
        return DecimalText.format(value, .fixed(0))
    }
}
