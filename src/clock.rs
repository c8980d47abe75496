//! The time a build publishes at: the system's, or one set on the command
//! line (`--now`) that runs on from there, so that a preview or a test can
//! live at any moment and watch mode still sees scheduled stories fall due.

use chrono::{DateTime, Utc};
use std::time::Instant;

#[derive(Debug, Clone, Copy, Default)]
pub enum Clock {
    #[default]
    System,
    /// `start` at the moment `at`, running on from there.
    From { start: DateTime<Utc>, at: Instant },
}

impl Clock {
    /// A clock that reads `start` now.
    pub fn starting_at(start: DateTime<Utc>) -> Clock {
        Clock::From {
            start,
            at: Instant::now(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match *self {
            Clock::System => Utc::now(),
            Clock::From { start, at } => {
                let run = chrono::Duration::from_std(at.elapsed()).unwrap_or_default();
                start + run
            }
        }
    }
}

/// When stories are published: by `clock`, or all of them (`--future`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Schedule {
    pub future: bool,
    pub clock: Clock,
}
