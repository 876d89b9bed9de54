//! Scheduling priority of the background workers. What they do (webhook
//! deliveries, mails, pruning the outbox) is owed durably and can wait a moment; a reader or a
//! poster cannot. So their threads run at a lower priority: when the
//! machine is busy the request threads come first, and the workers catch
//! up from the outbox when it calms down. When it is idle, nothing changes.

/// How much lower than the request threads (a nice increment, 0..=19).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
const BACKGROUND_NICE: libc::c_int = 10;

/// Lowers the calling thread's priority; call first thing in a worker thread.
pub fn lower_this_thread() {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: gettid has no preconditions; on Linux setpriority with
        // PRIO_PROCESS and a thread id changes that thread alone.
        let done = unsafe {
            let tid = libc::gettid();
            libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, BACKGROUND_NICE)
        };
        if done != 0 {
            // Not fatal: the worker runs at the normal priority.
            tracing::debug!("cannot lower a worker thread's priority");
        }
    }
}
