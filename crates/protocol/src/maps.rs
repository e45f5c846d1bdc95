//! Building maps without the sort that `collect` into a `BTreeMap` (or a serde_json `Map`)
//! performs first: each sort instantiation adds kilobytes of code to the browser bundle.

/// A map of `items`, inserted one by one (`Extend` inserts; `FromIterator` sorts first).
pub(crate) fn inserted<M: Default + Extend<T>, T>(items: impl IntoIterator<Item = T>) -> M {
    let mut map = M::default();
    map.extend(items);
    map
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    #[test]
    fn later_items_replace_earlier_ones_and_order_is_by_key() {
        let m: BTreeMap<&str, u8> = super::inserted([("b", 1), ("a", 2), ("b", 3)]);
        assert_eq!(m.into_iter().collect::<Vec<_>>(), [("a", 2), ("b", 3)]);
    }
}
