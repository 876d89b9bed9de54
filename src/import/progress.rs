//! The progress bar of `tribune import`: drawn on a terminal only.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::time::{Duration, Instant};

pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
}

impl Progress {
    pub fn new(show: bool, total: u64) -> Progress {
        let bar = show.then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner} [{elapsed_precise}] {wide_bar} {percent:>3}% ETA {eta} · {msg}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Progress {
            bar,
            started: Instant::now(),
        }
    }

    /// `position` of `total` in the source's unit (bytes, rows); comments read and written.
    pub fn update(&self, position: u64, total: u64, read: u64, written: u64) {
        if let Some(bar) = &self.bar {
            let rate = read as f64 / self.started.elapsed().as_secs_f64().max(1e-3);
            bar.set_length(total.max(position));
            bar.set_position(position);
            bar.set_message(format!(
                "{read} read, {written} written, {rate:.0} comments/s"
            ));
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
