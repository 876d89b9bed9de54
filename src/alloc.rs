//! The process's use of glibc's malloc, the allocator of every build (the
//! `server-jemalloc` and `mimalloc` features swap it out; bench/RESULTS.md
//! compares the three, and tuned glibc held the least memory for the server).
//!
//! Imports are the exception: `tribune-import` (the `jemalloc` feature, which
//! `tribune import` hands over to) runs them on jemalloc. An import hands
//! every row from thread to thread (read, prepared, written), so each is freed
//! on another thread than the one that made it; glibc's arenas serialize those
//! frees on a lock. jemalloc took a 1M-comment import from 18 to 23 s down to
//! 14.5 s, with less memory (bench/RESULTS-import.md). The server keeps glibc:
//! with jemalloc it held more memory under a login flood than its target
//! (bench/RESULTS-allocators.md). A binary of its own, not a choice made at
//! run time, so that every block is freed by the allocator that made it, and
//! so that a plain build needs no `make` (jemalloc's build does).

/// Tunes glibc's malloc for a long-running server on a small machine; call
/// it first thing, before any thread starts.
/// - Four arenas, not eight per core: each thread that allocates (workers,
///   blocking threads) otherwise gets an arena whose free memory stays with
///   it. Two held a little less memory but cost R1 a seventh of its speed.
/// - A fixed mmap threshold of 1 MiB: by default glibc raises it to the size
///   of the largest block freed (Argon2's 19 MiB), after which such blocks come
///   from the arenas and are never given back.
/// - Memory at the top of an arena is given back past 2 MiB free.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets malloc's parameters; it runs before any
    // other thread exists.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 4);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 2 << 20);
    }
}

/// For a batch job (`tribune import`) rather than a server: batches of a few
/// MiB are allocated and freed over and over, which the server's settings
/// turn into mmap, munmap and trims of the arena's top, each page faulted in
/// again by the next batch. Call before the job's threads start. Rust's own
/// blocks go to jemalloc in `tribune-import`; these settings still hold for
/// what SQLite and other C code allocate through glibc.
pub fn tune_for_batches() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets malloc's parameters.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 64 << 20);
        libc::mallopt(libc::M_TOP_PAD, 16 << 20);
        // An arena per thread (reader, preparers, writer): with the server's
        // four, threads that allocate at the same time wait on each other's
        // arena locks.
        libc::mallopt(libc::M_ARENA_MAX, 8);
    }
}

/// Gives the free memory malloc holds back to the system (free pages inside
/// the arenas too, which trimming at the top misses). Called before a large
/// allocation that follows a quiet spell, such as the hashing threads' working
/// memory at the start of a burst of logins.
pub fn give_back_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only walks malloc's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}
