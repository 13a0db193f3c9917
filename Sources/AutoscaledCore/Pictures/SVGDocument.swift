import AutoscaledBase

/// A self-contained SVG picture written by hand: a few shapes, text escaped through
/// ``TextEscaping/xml(_:)``, numbers with at most two decimals so a week of points stays small.
struct SVGDocument {
    let width: Double
    let height: Double
    private var body: [UInt8] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// A line through `points`, in order.
    mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double = 1.2, title: String? = nil) {
        guard !points.isEmpty else { return }
        append("<polyline fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(text(width))\" stroke-linejoin=\"round\" points=\"")
        for (index, point) in points.enumerated() {
            if index > 0 { body.append(UInt8(ascii: " ")) }
            DecimalText.append(point.x, .atMost(1), to: &body)
            body.append(UInt8(ascii: ","))
            DecimalText.append(point.y, .atMost(1), to: &body)
        }
        append("\">")
        if let title { append("<title>\(TextEscaping.xml(title))</title>") }
        append("</polyline>\n")
    }

    mutating func line(from start: (x: Double, y: Double), to end: (x: Double, y: Double), stroke: String,
                       width: Double = 1, dashed: Bool = false) {
        append("<line x1=\"\(text(start.x))\" y1=\"\(text(start.y))\" x2=\"\(text(end.x))\" y2=\"\(text(end.y))\" "
            + "stroke=\"\(stroke)\" stroke-width=\"\(text(width))\"\(dashed ? " stroke-dasharray=\"4 3\"" : "")/>\n")
    }

    mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String, stroke: String = "none") {
        append("<rect x=\"\(text(x))\" y=\"\(text(y))\" width=\"\(text(width))\" height=\"\(text(height))\" "
            + "fill=\"\(fill)\" stroke=\"\(stroke)\"/>\n")
    }

    /// A dot; `title` shows as a tooltip in a browser.
    mutating func circle(x: Double, y: Double, radius: Double, fill: String, stroke: String = "none", title: String? = nil) {
        append("<circle cx=\"\(text(x))\" cy=\"\(text(y))\" r=\"\(text(radius))\" fill=\"\(fill)\" stroke=\"\(stroke)\"")
        if let title {
            append("><title>\(TextEscaping.xml(title))</title></circle>\n")
        } else {
            append("/>\n")
        }
    }

    enum Anchor: String {
        case start, middle, end
    }

    mutating func text(_ content: String, x: Double, y: Double, size: Double = 12, anchor: Anchor = .start,
                       fill: String = "#222", bold: Bool = false) {
        append("<text x=\"\(text(x))\" y=\"\(text(y))\" font-size=\"\(text(size))\" text-anchor=\"\(anchor.rawValue)\" "
            + "fill=\"\(fill)\"\(bold ? " font-weight=\"bold\"" : "")>\(TextEscaping.xml(content))</text>\n")
    }

    /// The whole document, header and all.
    func rendered() -> [UInt8] {
        var out = Array("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n".utf8)
        out += Array(("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(text(width))\" height=\"\(text(height))\" "
            + "viewBox=\"0 0 \(text(width)) \(text(height))\" font-family=\"sans-serif\">\n"
            + "<rect x=\"0\" y=\"0\" width=\"\(text(width))\" height=\"\(text(height))\" fill=\"#fff\"/>\n").utf8)
        out += body
        out += Array("</svg>\n".utf8)
        return out
    }

    private mutating func append(_ string: String) {
        body.append(contentsOf: string.utf8)
    }

    private func text(_ value: Double) -> String {
        DecimalText.format(value, .atMost(2))
    }
}

/// Maps data to a plot area and draws its axes: a linear scale on each side, with round ticks.
struct PlotArea {
    var left: Double
    var top: Double
    var width: Double
    var height: Double
    var xRange: ClosedRange<Double>
    var yRange: ClosedRange<Double>

    func x(_ value: Double) -> Double {
        left + width * (value - xRange.lowerBound) / max(xRange.upperBound - xRange.lowerBound, .leastNormalMagnitude)
    }

    func y(_ value: Double) -> Double {
        top + height - height * (min(value, yRange.upperBound) - yRange.lowerBound)
            / max(yRange.upperBound - yRange.lowerBound, .leastNormalMagnitude)
    }

    /// The frame, ticks on both axes (labelled by `xLabel`/`yLabel`), and the axis titles.
    func drawAxes(_ svg: inout SVGDocument, title: String, xTitle: String, yTitle: String,
                  xLabel: (Double) -> String, yLabel: (Double) -> String) {
        svg.rect(x: left, y: top, width: width, height: height, fill: "none", stroke: "#999")
        for tick in Self.ticks(yRange) {
            svg.line(from: (left, y(tick)), to: (left + width, y(tick)), stroke: "#eee")
            svg.text(yLabel(tick), x: left - 4, y: y(tick) + 4, size: 10, anchor: .end, fill: "#555")
        }
        for tick in Self.ticks(xRange) {
            svg.line(from: (x(tick), top + height), to: (x(tick), top + height + 4), stroke: "#999")
            svg.text(xLabel(tick), x: x(tick), y: top + height + 16, size: 10, anchor: .middle, fill: "#555")
        }
        svg.text(title, x: left, y: top - 8, size: 13, bold: true)
        svg.text(xTitle, x: left + width, y: top + height + 30, size: 11, anchor: .end, fill: "#555")
        svg.text(yTitle, x: left + width, y: top - 8, size: 11, anchor: .end, fill: "#555")
    }

    /// About five round values (1, 2 or 5 × 10ⁿ apart) inside `range`.
    static func ticks(_ range: ClosedRange<Double>) -> [Double] {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return [range.lowerBound] }
        let raw = span / 5
        var power = 1.0
        while power * 10 <= raw { power *= 10 }
        while power > raw { power /= 10 }
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? power * 10
        var ticks: [Double] = []
        var value = (range.lowerBound / step).rounded(.up) * step
        while value <= range.upperBound + step * 1e-9, ticks.count < 20 {
            ticks.append(value)
            value += step
        }
        return ticks
    }
}
