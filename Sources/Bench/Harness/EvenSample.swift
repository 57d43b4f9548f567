/// A sample of a list spread evenly over it: the first item, the last, and those evenly between
/// (`sparrow tune --sample` and `sparrow bench spmm --sample`), so a sample of a model's layers
/// covers its small and its large ones rather than the first few in name order.
package enum EvenSample {
    /// `count` items of `items` at evenly spaced positions, in their order (all of them when
    /// `count` is at least their number; none when it is below 1).
    package static func pick<T>(_ items: [T], count: Int) -> [T] {
        guard count < items.count else { return items }
        guard count >= 1 else { return [] }
        if count == 1 { return [items[0]] }
        return (0..<count).map { items[$0 * (items.count - 1) / (count - 1)] }
    }
}
