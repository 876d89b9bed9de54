//! The process's use of glibc's malloc, the default allocator (the `jemalloc`
//! and `mimalloc` features swap it out; bench/RESULTS.md compares the three,
//! and tuned glibc held the least memory), but for `tribune import`, which
//! [`ByCommand`] gives jemalloc.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU8, Ordering};
use tikv_jemallocator::Jemalloc;

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
/// blocks go to jemalloc in an import (see [`ByCommand`]); these settings
/// still hold for what SQLite and other C code allocate through glibc.
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

/// The `tribune` binary's global allocator: jemalloc for `tribune import`,
/// glibc's malloc (tuned by [`tune`]) for everything else.
///
/// An import hands every row from thread to thread (read, prepared, written),
/// so each is freed on another thread than the one that made it; glibc's
/// arenas serialize those frees on a lock. jemalloc took a 1M-comment import
/// from 18 to 23 s down to 14.5 s, with less memory (bench/RESULTS-import.md).
/// The server keeps glibc: with jemalloc it held more memory under a login
/// flood than its target (bench/RESULTS-allocators.md).
///
/// The choice is made at the first allocation, from the command line, before
/// any block exists: every block is freed by the allocator that made it.
pub struct ByCommand;

const UNDECIDED: u8 = 0;
const SYSTEM: u8 = 1;
const JEMALLOC: u8 = 2;
static CHOICE: AtomicU8 = AtomicU8::new(UNDECIDED);

impl ByCommand {
    /// The allocator this process uses, decided at its first allocation.
    #[inline]
    fn chosen(&self) -> &'static dyn GlobalAlloc {
        match CHOICE.load(Ordering::Relaxed) {
            SYSTEM => &System,
            JEMALLOC => &Jemalloc,
            _ => {
                // Only the process's first allocation gets here (two threads
                // at once would read the same command line).
                let batch = runs_a_batch_job(read_command_line(&mut [0; 512]));
                CHOICE.store(if batch { JEMALLOC } else { SYSTEM }, Ordering::Relaxed);
                if batch {
                    &Jemalloc
                } else {
                    &System
                }
            }
        }
    }
}

// SAFETY: each call goes to one of two allocators, always the same one for
// the life of the process (see `chosen`), so a block is resized and freed
// by the allocator that made it.
unsafe impl GlobalAlloc for ByCommand {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.chosen().alloc(layout)
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.chosen().alloc_zeroed(layout)
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        self.chosen().dealloc(ptr, layout)
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        self.chosen().realloc(ptr, layout, new_size)
    }
}

/// Whether a command line (`/proc/self/cmdline`: arguments ended by NULs)
/// runs `tribune import`. The binary takes no option before its subcommand.
pub fn runs_a_batch_job(command_line: &[u8]) -> bool {
    command_line.split(|&b| b == 0).nth(1) == Some(b"import".as_slice())
}

/// Reads the command line into `buf` without allocating (this runs inside
/// the allocator). Empty where /proc is missing: then glibc is used.
fn read_command_line(buf: &mut [u8]) -> &[u8] {
    let mut len = 0;
    // SAFETY: plain system calls on a file descriptor this function owns,
    // reading into the caller's buffer within its length.
    unsafe {
        let fd = libc::open(
            c"/proc/self/cmdline".as_ptr(),
            libc::O_RDONLY | libc::O_CLOEXEC,
        );
        if fd < 0 {
            return &buf[..0];
        }
        while len < buf.len() {
            let n = libc::read(fd, buf[len..].as_mut_ptr().cast(), buf.len() - len);
            if n <= 0 {
                break;
            }
            len += n as usize;
        }
        libc::close(fd);
    }
    &buf[..len]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_import_subcommand_takes_jemalloc() {
        assert!(runs_a_batch_job(
            b"tribune\0import\0--format\0disqus\0f.xml\0"
        ));
        assert!(runs_a_batch_job(b"/usr/bin/tribune\0import\0"));
        assert!(!runs_a_batch_job(b"tribune\0serve\0"));
        assert!(!runs_a_batch_job(b"tribune\0"));
        assert!(!runs_a_batch_job(b"tribune\0export\0import\0"));
        assert!(!runs_a_batch_job(b"tribune\0importer\0"));
        assert!(!runs_a_batch_job(b""));
    }

    #[test]
    fn this_process_reads_its_own_command_line() {
        let mut buf = [0; 512];
        let line = read_command_line(&mut buf);
        // The test binary's path comes first, and it does not run an import.
        assert!(line
            .split(|&b| b == 0)
            .next()
            .is_some_and(|a| !a.is_empty()));
        assert!(!runs_a_batch_job(line));
    }
}
