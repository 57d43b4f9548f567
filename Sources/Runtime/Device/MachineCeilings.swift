/// The machine's ceilings, used for the fraction of the floor.
package struct MachineCeilings: Codable, Sendable {
    package var peakFlops: Double
    package var bandwidthBytesPerSecond: Double
    /// How the numbers were obtained (measured, from properties...).
    package var source: String
    /// GPU only: an empty kernel of one block, timed like every candidate (``LaunchTiming``):
    /// what any launch costs before it does work.
    package var launchSeconds: Double?
    /// GPU only: the same empty kernel with 8 blocks of 256 threads per SM.
    package var fullGridLaunchSeconds: Double?

    package init(
        peakFlops: Double, bandwidthBytesPerSecond: Double, source: String, launchSeconds: Double? = nil,
        fullGridLaunchSeconds: Double? = nil
    ) {
        self.peakFlops = peakFlops
        self.bandwidthBytesPerSecond = bandwidthBytesPerSecond
        self.source = source
        self.launchSeconds = launchSeconds
        self.fullGridLaunchSeconds = fullGridLaunchSeconds
    }

    package func floorSeconds(flops: Double, bytes: Double) -> Double {
        max(flops / peakFlops, bytes / bandwidthBytesPerSecond)
    }
}
