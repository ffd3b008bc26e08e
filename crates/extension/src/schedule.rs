//! The auto-retry schedule: exponential back-off with jitter that only ever lengthens a wait,
//! capped, honouring Retry-After, giving up after a total time. Pure, so it is tested here;
//! the background worker keeps the attempt count and the clock.

/// A schedule in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    /// The first wait.
    pub initial: f64,
    /// The longest wait the doubling reaches.
    pub cap: f64,
    /// No retry starts later than this after the schedule began.
    pub give_up: f64,
}

/// The default: 10 s doubling to 10 minutes, giving up after an hour.
pub const DEFAULT: Schedule = Schedule {
    initial: 10.0,
    cap: 600.0,
    give_up: 3600.0,
};

/// Jitter adds up to this share of the wait (never removes any).
const JITTER: f64 = 0.2;

fn usable(value: f64, fallback: f64) -> f64 {
    if value.is_finite() && value > 0.0 {
        value
    } else {
        fallback
    }
}

impl Schedule {
    /// A schedule from settings; unusable values fall back to the defaults, and the cap is at
    /// least the first wait.
    pub fn new(initial: f64, cap: f64, give_up: f64) -> Schedule {
        let initial = usable(initial, DEFAULT.initial);
        Schedule {
            initial,
            cap: usable(cap, DEFAULT.cap).max(initial),
            give_up: usable(give_up, DEFAULT.give_up),
        }
    }

    /// The wait before retry number `attempt` (0 for the first) when the schedule has run
    /// for `elapsed` seconds, or `None` to give up.
    pub fn next(
        &self,
        attempt: u32,
        elapsed: f64,
        retry_after: Option<f64>,
        random: f64,
    ) -> Option<f64> {
        let delay = next_delay(self, attempt, retry_after, random);
        let elapsed = if elapsed.is_finite() {
            elapsed.max(0.0)
        } else {
            0.0
        };
        (elapsed + delay <= self.give_up).then_some(delay)
    }
}

/// The wait before retry number `attempt`: `initial * 2^attempt` up to `cap`, plus up to 20 %
/// jitter (`random` in [0, 1)), and never shorter than the server's Retry-After.
pub fn next_delay(schedule: &Schedule, attempt: u32, retry_after: Option<f64>, random: f64) -> f64 {
    let doubled = schedule.initial * 2f64.powi(attempt.min(62) as i32);
    let base = doubled.min(schedule.cap);
    let random = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let delay = base * (1.0 + JITTER * random);
    match retry_after {
        Some(after) if after.is_finite() && after > delay => after,
        _ => delay,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_to_the_cap() {
        let waits: Vec<f64> = (0..9).map(|a| next_delay(&DEFAULT, a, None, 0.0)).collect();
        assert_eq!(
            waits,
            [10.0, 20.0, 40.0, 80.0, 160.0, 320.0, 600.0, 600.0, 600.0]
        );
        assert_eq!(next_delay(&DEFAULT, u32::MAX, None, 0.0), 600.0);
    }

    #[test]
    fn jitter_only_lengthens() {
        for i in 0..100 {
            let random = f64::from(i) / 100.0;
            let wait = next_delay(&DEFAULT, 2, None, random);
            assert!((40.0..=48.0).contains(&wait), "{wait}");
        }
        assert_eq!(next_delay(&DEFAULT, 0, None, f64::NAN), 10.0);
        assert_eq!(next_delay(&DEFAULT, 0, None, 7.0), 12.0);
    }

    #[test]
    fn retry_after_is_honoured_when_longer() {
        assert_eq!(next_delay(&DEFAULT, 0, Some(120.0), 0.0), 120.0);
        assert_eq!(next_delay(&DEFAULT, 3, Some(5.0), 0.0), 80.0);
        assert_eq!(next_delay(&DEFAULT, 0, Some(f64::INFINITY), 0.0), 10.0);
    }

    #[test]
    fn gives_up_after_the_total() {
        let s = DEFAULT;
        assert_eq!(s.next(0, 0.0, None, 0.0), Some(10.0));
        assert_eq!(s.next(6, 3000.0, None, 0.0), Some(600.0));
        assert_eq!(s.next(6, 3001.0, None, 0.0), None);
        // A Retry-After past the end is a reason to stop, not to hammer earlier.
        assert_eq!(s.next(0, 0.0, Some(7200.0), 0.0), None);
    }

    #[test]
    fn bad_settings_fall_back() {
        assert_eq!(Schedule::new(f64::NAN, -1.0, 0.0), DEFAULT);
        assert_eq!(Schedule::new(30.0, 5.0, 60.0).cap, 30.0);
    }
}
