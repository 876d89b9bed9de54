//! The background workers (webhook deliveries, mails, pruning the outbox):
//! each a thread of its own with a small runtime, stopped when its handle
//! is dropped. What they do is owed durably and can wait a moment; a reader
//! or a poster cannot. So their threads run at a lower scheduling priority:
//! when the machine is busy the request threads come first, and the
//! workers catch up from the outbox when it calms down. When it is idle,
//! nothing changes.

use std::future::Future;
use std::sync::{Arc, Weak};

/// Keeps a worker running: it stops once this is dropped (its loop sees
/// its `Weak` go dead).
pub struct Worker {
    _alive: Arc<()>,
}

impl Worker {
    /// Runs `work` on a thread named `name`, at the lower priority, with a
    /// current-thread runtime; `work` gets the watch it checks to stop.
    pub fn spawn<F, Fut>(name: &str, work: F) -> std::io::Result<Worker>
    where
        F: FnOnce(Weak<()>) -> Fut + Send + 'static,
        Fut: Future<Output = ()>,
    {
        let alive = Arc::new(());
        let watch = Arc::downgrade(&alive);
        let thread = name.to_string();
        std::thread::Builder::new()
            .name(thread.clone())
            .spawn(move || {
                lower_this_thread();
                match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime.block_on(work(watch)),
                    Err(e) => {
                        tracing::error!(worker = %thread, error = %e, "a worker could not start")
                    }
                }
            })?;
        Ok(Worker { _alive: alive })
    }
}

/// How much lower than the request threads (a nice increment, 0..=19).
#[cfg_attr(not(target_os = "linux"), allow(dead_code))]
const BACKGROUND_NICE: libc::c_int = 10;

/// Lowers the calling thread's priority.
fn lower_this_thread() {
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
