import Foundation
import SparseFormats
import Testing

@testable import KernelGen

/// The row-order knob of the CSR families: ids, the conflict rule, and the kernel it renders
/// (the same body as a problem prepared in that order).
@Suite struct RowOrderKnobTests {
    @Test func idsCarryTheKnobAndOldIdsStillParse() throws {
        for (text, ordering) in [
            ("r4.t8.c64.v4.k32.db1", RowOrdering.identity), ("r4.t8.c64.v4.k32.db1.s2.u8.o1", .locality),
            ("r4.t8.c64.v4.k32.db0.o2", .byLengthDescending), ("simple.r8.t32.o1", .locality), ("simple.r8.t32", .identity),
            ("xtile.r32.t8.c128.v4.k64.db1.o2", .byLengthDescending), ("xtile.r32.t8.c128.v4.k64.db1", .identity),
        ] {
            let config = try SpMMConfig(parsing: text)
            #expect(config.rowOrder == ordering, "\(text)")
            #expect(config.description == text)
        }
        for bad in ["r4.t8.c64.v4.k32.db1.o3", "simple.r8.t32.o9", "xtile.r32.t8.c128.v4.k64.db1.o1.o2"] {
            #expect(throws: ConfigError.unparsable(bad)) { try SpMMConfig(parsing: bad) }
        }
        // The specialised family keeps its own o knob; the compact and bitmap families have none.
        #expect(try SpMMConfig(parsing: "spec.r4.t64.v1.c1.o1").rowOrder == .identity)
        let compact = try SpMMConfig(parsing: "compact.i16.w8.v8.u2.s1.b2.k4096")
        #expect(compact.withRowOrder(.locality) == nil)
        #expect(compact.withRowOrder(.identity) == compact)
    }

    @Test func aKnobNeedsOperandsInTheirOwnOrder() throws {
        let config = try SpMMConfig(parsing: "r4.t8.c64.v4.k32.db1.o1")
        #expect(configError { try config.validate(for: try makeProblem(ordering: .byLengthDescending)) }
            == .rowOrderConflict(config: .locality, problem: .byLengthDescending))
        #expect(configError { try config.validate(for: try makeProblem(ordering: .locality)) } == nil)
        #expect(configError { try config.validate(for: try makeProblem()) } == nil)
        #expect(configError { try SpMMConfig(parsing: "r4.t8.c64.v4.k32.db1").validate(for: try makeProblem(ordering: .locality)) } == nil)
    }

    /// A knob config renders the kernel of the problem prepared in its order (the body reads the
    /// permutation, the `rowOrder` parameter is declared), under its own id.
    @Test func theKnobRendersThePermutedKernel() throws {
        for text in ["r4.t8.c64.v4.k32.db1", "simple.r8.t32", "xtile.r32.t8.c128.v4.k64.db1"] {
            let plain = try SpMMConfig(parsing: text)
            for ordering in [RowOrdering.locality, .byLengthDescending] {
                let knob = try #require(plain.withRowOrder(ordering))
                let rendered = try KernelGen.render(try makeProblem(), knob)
                let reference = try KernelGen.render(try makeProblem(ordering: ordering), plain)
                #expect(rendered.parameters == reference.parameters)
                #expect(rendered.parameters.contains { $0.role == .rowOrder })
                #expect(rendered.grid == reference.grid && rendered.block == reference.block)
                let renamed = reference.source
                    .replacingOccurrences(of: plain.identifier, with: knob.identifier)
                    .replacingOccurrences(of: "cfg=\(plain)", with: "cfg=\(knob)")
                #expect(rendered.source == renamed, "\(knob)")
                #expect(rendered.source.contains("rows=\(ordering.rawValue)"))
            }
            let identity = try KernelGen.render(try makeProblem(), plain)
            #expect(!identity.parameters.contains { $0.role == .rowOrder })
        }
    }
}
