/// The machine's ceilings, used for the fraction of the floor.
public struct MachineCeilings: Codable, Sendable {
    public var peakFlops: Double
    public var bandwidthBytesPerSecond: Double
    /// How the numbers were obtained (measured, from properties...).
    public var source: String
    /// GPU only: an empty kernel of one block, timed like every candidate (``LaunchTiming``):
    /// what any launch costs before it does work.
    public var launchSeconds: Double?
    /// GPU only: the same empty kernel with 8 blocks of 256 threads per SM.
    public var fullGridLaunchSeconds: Double?

    public init(
        peakFlops: Double, bandwidthBytesPerSecond: Double, source: String, launchSeconds: Double? = nil,
        fullGridLaunchSeconds: Double? = nil
    ) {
        self.peakFlops = peakFlops
        self.bandwidthBytesPerSecond = bandwidthBytesPerSecond
        self.source = source
        self.launchSeconds = launchSeconds
        self.fullGridLaunchSeconds = fullGridLaunchSeconds
    }

    public func floorSeconds(flops: Double, bytes: Double) -> Double {
        max(flops / peakFlops, bytes / bandwidthBytesPerSecond)
    }
}
