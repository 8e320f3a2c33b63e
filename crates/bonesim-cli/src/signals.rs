//! SIGTERM, SIGINT and SIGUSR1: stop at the end of the tick, write a checkpoint, exit cleanly.
//!
//! SLURM sends SIGTERM before it kills a job (`scancel`, preemption, a node drained), the job
//! script bonesim writes asks for SIGUSR1 a few minutes before the time limit, and Ctrl-C
//! sends SIGINT. A run asked to stop finishes the tick it is in, writes a checkpoint and its
//! outputs so far, says how to resume, and exits with 128 + the signal's number, as a shell
//! reports a process stopped by that signal (130 for SIGINT, 138 for SIGUSR1, 143 for
//! SIGTERM), so that a script can tell "interrupted, resumable" from done (0) and failed
//! (1, 2), and a job script can requeue itself after SIGUSR1 (the time limit) but not after
//! SIGTERM (`scancel`). A second Ctrl-C stops the process at once: the last checkpoint stays,
//! and the next run resumes from it. Repeated SIGTERMs are one request (SLURM may signal the
//! job's processes more than once).
//!
//! The handler only sets a flag (the one thing a signal handler may safely do); runs poll it
//! between ticks. This is the process's one piece of global mutable state, set by the
//! operating system, never by the program.

use signal_hook::consts::{SIGINT, SIGTERM, SIGUSR1};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Which signal asked the process to stop (0: none yet).
#[derive(Clone, Debug)]
pub struct StopRequest {
    signal: Arc<AtomicUsize>,
}

impl StopRequest {
    /// Installs the handlers: the first signal records itself; a second SIGINT stops the
    /// process at once (exit status 130).
    pub fn install() -> anyhow::Result<StopRequest> {
        let signal = Arc::new(AtomicUsize::new(0));
        for sig in [SIGTERM, SIGINT, SIGUSR1] {
            let stop_now = Arc::new(std::sync::atomic::AtomicBool::new(false));
            if sig == SIGINT {
                // Registered before the flag is set, so it fires only on the second Ctrl-C.
                signal_hook::flag::register_conditional_shutdown(sig, 128 + sig, Arc::clone(&stop_now))?;
            }
            let recorded = Arc::clone(&signal);
            // SAFETY: the action only stores to atomics, which is async-signal-safe.
            unsafe {
                signal_hook::low_level::register(sig, move || {
                    // The first signal decides how the run ends.
                    let _ = recorded.compare_exchange(0, sig as usize, Ordering::SeqCst, Ordering::SeqCst);
                    stop_now.store(true, Ordering::SeqCst);
                })?;
            }
        }
        Ok(StopRequest { signal })
    }

    /// The signal that asked to stop, if one has.
    pub fn requested(&self) -> Option<Signal> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            s if s as i32 == SIGINT => Some(Signal::Interrupt),
            s if s as i32 == SIGUSR1 => Some(Signal::TimeLimit),
            _ => Some(Signal::Terminate),
        }
    }
}

/// A signal that stops a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    /// SIGINT (Ctrl-C).
    Interrupt,
    /// SIGTERM (SLURM, `kill`).
    Terminate,
    /// SIGUSR1: the warning the job script asks SLURM for before the time limit.
    TimeLimit,
}

impl Signal {
    /// Its name.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Interrupt => "SIGINT",
            Signal::Terminate => "SIGTERM",
            Signal::TimeLimit => "SIGUSR1",
        }
    }

    /// The exit status a process stopped by it reports: 128 + its number.
    pub fn exit_code(self) -> u8 {
        match self {
            Signal::Interrupt => 128 + SIGINT as u8,
            Signal::Terminate => 128 + SIGTERM as u8,
            Signal::TimeLimit => 128 + SIGUSR1 as u8,
        }
    }
}
