//! One sort for the lists the engine and the pages order once per analysis or per view.
//!
//! A slice sort is compiled anew for every element type and every comparison closure (about
//! ten functions each), and most of the app's sorts run on a few hundred or thousand items,
//! once. So they sort positions through one comparison object ([`positions`]), and a list of
//! items is put in that order afterwards ([`sort_by`]): one copy of the sort serves them all.
//! The sorts on the analysis' hot paths (the ABC ranking's usual case, the robustness sweeps)
//! keep their own typed sorts, where a call through a pointer per comparison would cost.

use std::cmp::Ordering;

/// Sorts `idx` — positions into a list that `cmp` compares — stably.
pub fn positions(idx: &mut [usize], cmp: &dyn Fn(usize, usize) -> Ordering) {
    idx.sort_by(|&i, &j| cmp(i, j));
}

/// Sorts `items` stably by `cmp`, as `slice::sort_by` would.
pub fn sort_by<T>(items: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    let mut idx: Vec<usize> = (0..items.len()).collect();
    positions(&mut idx, &|i, j| cmp(&items[i], &items[j]));
    let mut taken: Vec<Option<T>> = std::mem::take(items).into_iter().map(Some).collect();
    items.extend(idx.into_iter().filter_map(|i| taken[i].take()));
}

/// Sorts a short list of numbers (a few dozen: probe positions, where lines cross, marks of
/// a chart) by insertion: a few instructions per type, where a slice sort is a few kilobytes.
pub fn sort_short<T: Ord + Copy>(items: &mut [T]) {
    for k in 1..items.len() {
        let x = items[k];
        let mut j = k;
        while j > 0 && items[j - 1] > x {
            items[j] = items[j - 1];
            j -= 1;
        }
        items[j] = x;
    }
}

/// Sorts `items` stably by a key, as `slice::sort_by_key` would.
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    sort_by(items, |a, b| key(a).cmp(&key(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pseudo-random items with many ties: the order and the stability are the library's.
    #[test]
    fn sorts_as_the_slice_sorts_do_keeping_ties_in_place() {
        let mut seed = 7u64;
        let mut next = move || {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as u32
        };
        for n in [0usize, 1, 2, 3, 17, 20, 21, 100, 1000] {
            let items: Vec<(u32, usize)> = (0..n).map(|k| (next() % 7, k)).collect();
            let mut expected = items.clone();
            expected.sort_by_key(|x| x.0);
            let mut got = items.clone();
            sort_by_key(&mut got, |x| x.0);
            assert_eq!(got, expected, "n = {n}");
            let mut got = items.clone();
            sort_by(&mut got, |a, b| b.0.cmp(&a.0));
            let mut expected = items.clone();
            expected.sort_by(|a, b| b.0.cmp(&a.0));
            assert_eq!(got, expected, "n = {n}, descending");
            let mut idx: Vec<usize> = (0..n).collect();
            positions(&mut idx, &|i, j| items[i].0.cmp(&items[j].0));
            let by_position: Vec<(u32, usize)> = idx.iter().map(|&i| items[i]).collect();
            let mut expected = items.clone();
            expected.sort_by_key(|x| x.0);
            assert_eq!(by_position, expected, "n = {n}, positions");
            let mut keys: Vec<u32> = items.iter().map(|x| x.0 * 1000 + x.1 as u32 % 1000).collect();
            let mut expected = keys.clone();
            expected.sort_unstable();
            sort_short(&mut keys);
            assert_eq!(keys, expected, "n = {n}, short");
        }
    }
}
