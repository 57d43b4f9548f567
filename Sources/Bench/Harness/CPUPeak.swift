import Foundation

/// The CPU's peak single-precision rate as the hardware states it: vector lanes x FMA units x
/// 2 flops x cores x clock. Nothing is timed, so a slow build or a busy machine cannot lower it.
///
/// Where the hardware is not fully known the larger plausible value is taken (two FMA units,
/// the highest clock any source names), so that a fraction of the floor computed from this
/// peak errs low, never above 100%.
package struct CPUPeak: Codable, Sendable, Hashable {
    /// The vector instruction set counted: `AVX-512`, `AVX2+FMA`, `AVX`, `SSE`, `NEON`.
    package var isa: String
    /// Single-precision lanes per vector instruction.
    package var lanes: Int
    /// Vector FMA (or multiply + add) instructions issued per cycle per core.
    package var fmaUnits: Int
    package var cores: Int
    package var clockHz: Double
    /// Where the clock came from.
    package var clockSource: String

    package var flopsPerSecond: Double { Double(lanes * fmaUnits * 2 * cores) * clockHz }

    /// `AVX-512: 16 lanes x 2 FMA x 2 flops x 2 cores x 2.60 GHz (/proc/cpuinfo cpu MHz) = 333 GFLOP/s`.
    package var description: String {
        "\(isa): \(lanes) lanes x \(fmaUnits) FMA x 2 flops x \(cores) cores x "
            + String(format: "%.2f GHz", clockHz / 1e9) + " (\(clockSource)) = "
            + String(format: "%.0f GFLOP/s", flopsPerSecond / 1e9)
    }

    /// This machine's peak, from `/proc/cpuinfo` and the cpufreq maximum in sysfs.
    package static func current(cores: Int) -> CPUPeak {
        let cpuinfo = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)) ?? ""
        let maxKHz = try? String(contentsOfFile: "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", encoding: .utf8)
        return estimate(cpuinfo: cpuinfo, maxFrequencyKHz: maxKHz, cores: cores)
    }

    /// The peak described by `cpuinfo` (the text of `/proc/cpuinfo`) and `maxFrequencyKHz`
    /// (sysfs `cpuinfo_max_freq`, nil when absent, as in most virtual machines).
    package static func estimate(cpuinfo: String, maxFrequencyKHz: String?, cores: Int) -> CPUPeak {
        var fields: [String: String] = [:]
        var highestMHz = 0.0
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let key = parts[0].trimmingCharacters(in: .whitespaces)
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            if fields[key] == nil { fields[key] = value }
            if key == "cpu MHz", let mhz = Double(value) { highestMHz = max(highestMHz, mhz) }
        }
        let flags = Set((fields["flags"] ?? fields["Features"] ?? "").split(separator: " ").map(String.init))
        let (isa, lanes, units) = vectorUnits(
            flags: flags, vendor: fields["vendor_id"] ?? "", family: Int(fields["cpu family"] ?? "") ?? 0,
            model: Int(fields["model"] ?? "") ?? 0)
        let (clock, source) = clock(
            sysfsKHz: maxFrequencyKHz.flatMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) },
            cpuinfoMHz: highestMHz, modelName: fields["model name"] ?? "")
        return CPUPeak(isa: isa, lanes: lanes, fmaUnits: units, cores: max(1, cores), clockHz: clock, clockSource: source)
    }

    /// Lanes and FMA units per core by instruction set and, for AMD, core generation.
    static func vectorUnits(flags: Set<String>, vendor: String, family: Int, model: Int) -> (String, Int, Int) {
        #if arch(arm64)
        // NEON: 4 lanes; up to 4 FMA pipes (Neoverse V1/V2, Apple's performance cores).
        return ("NEON", 4, 4)
        #else
        let amd = vendor == "AuthenticAMD"
        if flags.contains("avx512f") {
            // Zen 4 (family 25) runs 512-bit FMAs at half rate; Zen 5 and Intel's server cores
            // issue two per cycle.
            return ("AVX-512", 16, amd && family < 26 ? 1 : 2)
        }
        if flags.contains("avx2") && flags.contains("fma") {
            // Zen 1 and Zen+ (family 23, models below 0x30) split 256-bit FMAs into two halves.
            return ("AVX2+FMA", 8, amd && family == 23 && model < 0x30 ? 1 : 2)
        }
        // Without FMA a multiply and an add issue together: one "unit" of 2 flops per lane.
        if flags.contains("avx") { return ("AVX", 8, 1) }
        return ("SSE", 4, 1)
        #endif
    }

    /// The highest clock any source states: sysfs's maximum (boost included), the fastest core
    /// in `/proc/cpuinfo`, or the `@ 2.60GHz` of the model name; an assumed 5 GHz when none does.
    static func clock(sysfsKHz: Double?, cpuinfoMHz: Double, modelName: String) -> (Double, String) {
        var best = (hz: 0.0, source: "")
        if let khz = sysfsKHz, khz > 0 { best = (khz * 1e3, "sysfs cpuinfo_max_freq") }
        if cpuinfoMHz * 1e6 > best.hz { best = (cpuinfoMHz * 1e6, "/proc/cpuinfo cpu MHz") }
        if let at = modelName.range(of: "@ "), modelName.hasSuffix("GHz"),
           let ghz = Double(modelName[at.upperBound...].dropLast(3)), ghz * 1e9 > best.hz {
            best = (ghz * 1e9, "model name")
        }
        // An upper bound keeps floor fractions below 100% where the clock is unknown.
        return best.hz > 0 ? best : (5e9, "no clock found; 5 GHz assumed as an upper bound")
    }
}
