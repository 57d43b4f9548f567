import Bench
import Foundation
import Testing

@Suite struct BuildInfoTests {
    @Test func anUnstampedBuildNamesNoStampedCommit() {
        // Only scripts/build-static.sh passes -DSPARROW_BUILD_COMMIT; `swift build` and CI never do.
        #expect(BuildInfo.stampedCommit == nil)
    }

    @Test func theCommitIsNeverEmpty() {
        // Stamped, COMMIT file, git or "unknown": a report always names something.
        #expect(!BuildInfo.commit.isEmpty)
    }
}
