//! Asking for memory before it is needed.
//!
//! The cell phases visit cells in slot order, and cells sit at scattered sites, so each cell's
//! reads of the fields (one array per field) and of the gathered sources miss the cache: on
//! this project's machines the sense phase spent most of its time waiting on those loads. A
//! loop that knows which site a later cell will read can ask for it now, and the loads of
//! several cells then overlap. A prefetch is a hint: it never faults and changes no value, so
//! results do not depend on it.

/// Asks the processor to bring the cache line holding `value` into cache.
#[inline(always)]
pub(crate) fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        // SAFETY: a prefetch reads nothing and cannot fault; SSE is part of every x86_64.
        unsafe { _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast()) };
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}

/// How many cells ahead a loop over cells asks for the memory of the cell it will reach:
/// far enough for the loads to arrive, near enough that they are still in cache. 4, 8 and 16
/// measured alike (the sense phase's time against the diffuse phase's in the same runs, four
/// alternating rounds of 20 days of `homeostasis` on one thread).
pub(crate) const CELLS_AHEAD: usize = 8;

/// How many sources ahead the gathering of sources asks for a slot's rate (and twice as far
/// for the slot's number): a cell gives up to six sources at one site, so this is about five
/// cells. The secrete phase took 0.13–0.16 s per 20 days of `homeostasis` on one thread with
/// 32, against 0.16–0.18 s with 8 (four alternating rounds).
pub(crate) const SOURCES_AHEAD: usize = 32;
