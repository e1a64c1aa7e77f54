//! A small hash index over a license's feature names, built once per
//! verified file, so a feature check through the C ABI costs a hash of the
//! name and one or two probes instead of a scan.

/// Open-addressing table of indexes into a list of names.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct NameIndex {
    /// Slot -> index + 1 into the names (0: empty). A power of two long.
    slots: Vec<u16>,
}

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// The 8 bytes of `s` starting at `at` (all present).
#[inline]
fn word(s: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(s[at..at + 8].try_into().expect("8 bytes"))
}

#[inline]
fn hash(name: &[u8]) -> u64 {
    let n = name.len();
    let mut h = (n as u64).wrapping_mul(K);
    if n < 8 {
        let mut w = 0u64;
        for (i, &b) in name.iter().enumerate() {
            w |= u64::from(b) << (8 * i);
        }
        return (h ^ w).wrapping_mul(K);
    }
    let mut at = 0;
    while at + 8 <= n {
        h = (h ^ word(name, at)).wrapping_mul(K).rotate_left(29);
        at += 8;
    }
    if at < n {
        h = (h ^ word(name, n - 8)).wrapping_mul(K);
    }
    h ^ (h >> 32)
}

impl NameIndex {
    /// Indexes `names` (at most 65534; more are left to the caller's
    /// slower path, signalled by an empty index).
    pub fn new<S: AsRef<[u8]>>(names: &[S]) -> Self {
        if names.is_empty() || names.len() >= usize::from(u16::MAX) {
            return Self::default();
        }
        let size = (names.len() * 2).next_power_of_two().max(16);
        let mut slots = vec![0u16; size];
        for (i, name) in names.iter().enumerate() {
            let mut slot = hash(name.as_ref()) as usize & (size - 1);
            while slots[slot] != 0 {
                slot = (slot + 1) & (size - 1);
            }
            slots[slot] = (i + 1) as u16;
        }
        Self { slots }
    }

    /// Whether `name` is among `names` (the list the index was built from).
    #[inline]
    pub fn contains<S: AsRef<[u8]>>(&self, names: &[S], name: &[u8]) -> bool {
        if self.slots.is_empty() {
            return names.iter().any(|n| n.as_ref() == name);
        }
        let mask = self.slots.len() - 1;
        let mut slot = hash(name) as usize & mask;
        loop {
            match self.slots[slot] {
                0 => return false,
                i => {
                    let candidate = names[usize::from(i) - 1].as_ref();
                    if candidate.len() == name.len() && same_bytes(candidate, name) {
                        return true;
                    }
                }
            }
            slot = (slot + 1) & mask;
        }
    }
}

/// Whether two slices of the same length hold the same bytes, compared 8
/// bytes at a time: for names of a few dozen bytes this beats a `memcmp`
/// call, whose cost is mostly the call.
#[inline]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    debug_assert_eq!(a.len(), b.len());
    let n = a.len();
    if n < 8 {
        return a.iter().zip(b).all(|(x, y)| x == y);
    }
    let mut at = 0;
    while at + 8 <= n {
        if word(a, at) != word(b, at) {
            return false;
        }
        at += 8;
    }
    // The last, partial word: the 8 bytes ending at the end (overlapping).
    at == n || word(a, n - 8) == word(b, n - 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_exactly_the_names_it_indexes() {
        for count in [0usize, 1, 3, 10, 17, 100] {
            let names: Vec<String> = (0..count).map(|i| format!("feature-{i}")).collect();
            let index = NameIndex::new(&names);
            for n in &names {
                assert!(index.contains(&names, n.as_bytes()), "{n}");
            }
            for absent in [
                "",
                "f",
                "feature-",
                "feature-1000",
                "eature-1",
                "feature-1 ",
            ] {
                assert_eq!(
                    index.contains(&names, absent.as_bytes()),
                    names.iter().any(|n| n == absent),
                    "{absent}"
                );
            }
        }
    }

    #[test]
    fn short_and_odd_lengths_compare_correctly() {
        let names = [
            "a",
            "ab",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "abcdefghijklmnopq",
        ];
        let index = NameIndex::new(&names);
        for n in names {
            assert!(index.contains(&names, n.as_bytes()));
            let mut changed = n.as_bytes().to_vec();
            let last = changed.len() - 1;
            changed[last] ^= 1;
            assert!(!index.contains(&names, &changed));
            changed[last] ^= 1;
            changed[0] ^= 1;
            assert!(!index.contains(&names, &changed));
        }
    }
}
