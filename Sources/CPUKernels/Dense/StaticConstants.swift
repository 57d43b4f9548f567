// Compile-time integers for the microkernels.
//
// Passing a literal to an `@inline(__always)` function is not enough: the optimizer stops
// inlining into a caller that has grown large (a dispatcher with many cases), and the
// "constant" then stays a run-time value with a branch per FMA. A generic parameter instead
// produces one specialised function per type, in which `N.value` is a constant.

protocol StaticInt {
    /// The value, or nil for "given at run time".
    static var value: Int? { get }
}

enum Static1: StaticInt { static var value: Int? { 1 } }
enum Static2: StaticInt { static var value: Int? { 2 } }
enum Static3: StaticInt { static var value: Int? { 3 } }
enum Static4: StaticInt { static var value: Int? { 4 } }
enum Static8: StaticInt { static var value: Int? { 8 } }
enum Dynamic: StaticInt { static var value: Int? { nil } }
