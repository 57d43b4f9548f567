import Runtime
import Foundation

extension BenchReport {
    /// An SVG line chart: geometric-mean speedup of Sparrow's best over each baseline
    /// against sparsity, on a log2 speedup axis with the 1x line drawn.
    package func svgChart(title: String? = nil) -> String {
        let width = 720.0, height = 420.0
        let left = 70.0, right = 190.0, top = 40.0, bottom = 50.0
        let plotW = width - left - right, plotH = height - top - bottom
        let points = summary.filter { $0.geometricMean.isFinite && $0.geometricMean > 0 }
        let sparsities = Array(Set(points.map(\.sparsity))).sorted()
        let logs = points.map { log2($0.geometricMean) } + [0]
        let yMin = floor(logs.min() ?? -1) - 0.0, yMax = ceil(logs.max() ?? 1)
        let ySpan = max(yMax - yMin, 1)
        func x(_ s: Double) -> Double {
            guard sparsities.count > 1, let lo = sparsities.first, let hi = sparsities.last else { return left + plotW / 2 }
            return left + (s - lo) / (hi - lo) * plotW
        }
        func y(_ v: Double) -> Double { top + (yMax - log2(v)) / ySpan * plotH }
        let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
        var svg: [String] = []
        svg.append(#"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Int(width))" height="\#(Int(height))" font-family="sans-serif" font-size="12">"#)
        svg.append(#"<rect width="100%" height="100%" fill="white"/>"#)
        svg.append(#"<text x="\#(left)" y="22" font-size="14">\#(Self.escape(title ?? "Sparrow vs baselines, geometric mean — \(device.split(separator: "(").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? device)"))</text>"#)
        // Axes and grid: one line per power of two.
        var e = yMin
        while e <= yMax {
            let yy = top + (yMax - e) / ySpan * plotH
            svg.append(#"<line x1="\#(left)" y1="\#(yy)" x2="\#(left + plotW)" y2="\#(yy)" stroke="\#(e == 0 ? "#000" : "#ddd")"/>"#)
            svg.append(#"<text x="\#(left - 8)" y="\#(yy + 4)" text-anchor="end">\#(Self.formatSpeedup(pow(2, e)))x</text>"#)
            e += 1
        }
        for s in sparsities {
            svg.append(#"<text x="\#(x(s))" y="\#(top + plotH + 18)" text-anchor="middle">\#(String(format: "%.2f", s))</text>"#)
        }
        svg.append(#"<text x="\#(left + plotW / 2)" y="\#(height - 10)" text-anchor="middle">sparsity</text>"#)
        let baselines = Array(Set(points.map(\.baseline))).sorted()
        for (i, b) in baselines.enumerated() {
            let color = palette[i % palette.count]
            let series = points.filter { $0.baseline == b }.sorted { $0.sparsity < $1.sparsity }
            let path = series.map { "\(x($0.sparsity)),\(y($0.geometricMean))" }.joined(separator: " ")
            svg.append(#"<polyline points="\#(path)" fill="none" stroke="\#(color)" stroke-width="2"/>"#)
            for p in series { svg.append(#"<circle cx="\#(x(p.sparsity))" cy="\#(y(p.geometricMean))" r="3" fill="\#(color)"/>"#) }
            let ly = top + Double(i) * 18
            svg.append(#"<line x1="\#(left + plotW + 15)" y1="\#(ly)" x2="\#(left + plotW + 35)" y2="\#(ly)" stroke="\#(color)" stroke-width="2"/>"#)
            svg.append(#"<text x="\#(left + plotW + 40)" y="\#(ly + 4)">vs \#(Self.escape(b))</text>"#)
        }
        svg.append("</svg>")
        return svg.joined(separator: "\n") + "\n"
    }

    static func formatSpeedup(_ v: Double) -> String {
        v >= 1 ? String(format: "%.0f", v) : String(format: "%.2g", v)
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
