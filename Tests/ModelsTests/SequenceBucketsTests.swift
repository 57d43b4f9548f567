import Testing

@testable import Models

/// The GPU encoder's sequence buckets: which padded length a batch runs at.
struct SequenceBucketsTests {
    @Test func lengthsRoundUpToTheSmallestBucket() {
        let buckets = SequenceBuckets(maximumLength: 256, limit: 512)
        #expect(buckets.all == [32, 64, 128, 256])
        #expect(buckets.bucket(for: 1) == 32)
        #expect(buckets.bucket(for: 32) == 32)
        #expect(buckets.bucket(for: 33) == 64)
        #expect(buckets.bucket(for: 128) == 128)
        #expect(buckets.bucket(for: 129) == 256)
        #expect(buckets.bucket(for: 257) == nil)
    }

    @Test func theLargestBucketIsTheModelsLengthRoundedAndCapped() {
        // 200 tokens: rounded up to 224, the last bucket after the powers of two below it.
        #expect(SequenceBuckets(maximumLength: 200, limit: 512).all == [32, 64, 128, 224])
        #expect(SequenceBuckets(maximumLength: 512, limit: 512).all == [32, 64, 128, 256, 512])
        // Past what the kernels take: capped.
        #expect(SequenceBuckets(maximumLength: 4096, limit: 512).maximum == 512)
        // Tiny models still get one bucket of 32.
        #expect(SequenceBuckets(maximumLength: 5, limit: 512).all == [32])
    }
}
