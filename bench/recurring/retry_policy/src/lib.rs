//! Timeouts, retries with backoff, and rate limits for an HTTP client.
//!
//! Settings come from the service's config file, where every duration is an
//! integer number of milliseconds in a field ending in `_ms`. The standard
//! library (and our `Clock`) speak `Duration`. House rule: a `*_ms` value
//! becomes a `Duration` at the boundary with `Duration::from_millis(..)`,
//! never `from_secs` (a thousand times too long) or a float.

use std::fmt;
use std::time::Duration;

/// Why a policy could not be built or applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyError {
    /// A `*_ms` setting of zero where a wait is required.
    ZeroSetting(&'static str),
    /// `max_delay_ms` below `base_delay_ms`.
    CapBelowBase { base_ms: u64, max_ms: u64 },
    /// Every attempt failed.
    Exhausted { attempts: u32 },
    /// The total budget ran out before the next attempt could start.
    OutOfTime { spent: Duration },
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyError::ZeroSetting(name) => write!(f, "setting `{name}` must be above zero"),
            PolicyError::CapBelowBase { base_ms, max_ms } => {
                write!(f, "max_delay_ms ({max_ms}) is below base_delay_ms ({base_ms})")
            }
            PolicyError::Exhausted { attempts } => write!(f, "gave up after {attempts} attempts"),
            PolicyError::OutOfTime { spent } => write!(f, "out of time after {} ms", spent.as_millis()),
        }
    }
}

impl std::error::Error for PolicyError {}

/// Connection and request timeouts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timeouts {
    pub connect_ms: u64,
    pub read_ms: u64,
    pub total_ms: u64,
}

impl Timeouts {
    pub fn validate(&self) -> Result<(), PolicyError> {
        for (name, value) in [("connect_ms", self.connect_ms), ("read_ms", self.read_ms), ("total_ms", self.total_ms)] {
            if value == 0 {
                return Err(PolicyError::ZeroSetting(name));
            }
        }
        Ok(())
    }

    /// How long a TCP connect may take.
    pub fn connect_timeout(&self) -> Duration {
        Duration::from_millis(self.connect_ms)
    }

    /// How long a single read may block.
    pub fn read_timeout(&self) -> Duration {
        Duration::from_millis(self.read_ms)
    }

    /// What is left of the total budget after `spent`.
    pub fn remaining(&self, spent: Duration) -> Duration {
        let total: Duration = Duration::from_millis(self.total_ms);
        total.saturating_sub(spent)
    }
}

/// Exponential backoff: base, 2 x base, 4 x base, ... capped, plus jitter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    pub base_delay_ms: u64,
    pub max_delay_ms: u64,
    pub max_attempts: u32,
    pub jitter_ms: u64,
}

impl RetryPolicy {
    pub fn new(base_delay_ms: u64, max_delay_ms: u64, max_attempts: u32) -> Result<RetryPolicy, PolicyError> {
        if base_delay_ms == 0 {
            return Err(PolicyError::ZeroSetting("base_delay_ms"));
        }
        if max_delay_ms < base_delay_ms {
            return Err(PolicyError::CapBelowBase { base_ms: base_delay_ms, max_ms: max_delay_ms });
        }
        Ok(RetryPolicy { base_delay_ms, max_delay_ms, max_attempts, jitter_ms: 0 })
    }

    /// The wait before retry number `retry` (1 for the first retry), without jitter.
    pub fn delay_for(&self, retry: u32) -> Duration {
        let factor = 1u64.checked_shl(retry.saturating_sub(1)).unwrap_or(u64::MAX);
        let capped = self.base_delay_ms.saturating_mul(factor).min(self.max_delay_ms);
        Duration::from_millis(capped)
    }

    /// Jitter for retry `retry`, spread deterministically from a request seed.
    pub fn jitter_for(&self, retry: u32, seed: u64) -> Duration {
        if self.jitter_ms == 0 {
            return Duration::ZERO;
        }
        let mixed = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15).wrapping_add(u64::from(retry));
        Duration::from_millis(mixed % (self.jitter_ms + 1))
    }
}

/// Where the time comes from: the real clock in production, a fake in tests.
pub trait Clock {
    fn now(&self) -> Duration;
    fn sleep(&mut self, wait: Duration);
}

/// A clock that only moves when slept on.
#[derive(Debug, Default)]
pub struct FakeClock {
    pub elapsed: Duration,
    pub sleeps: Vec<Duration>,
}

impl Clock for FakeClock {
    fn now(&self) -> Duration {
        self.elapsed
    }

    fn sleep(&mut self, wait: Duration) {
        self.elapsed += wait;
        self.sleeps.push(wait);
    }
}

/// Runs `attempt` until it succeeds, sleeping between tries as the policy says.
pub fn run_with_retries<T, E>(
    policy: &RetryPolicy,
    timeouts: &Timeouts,
    clock: &mut dyn Clock,
    mut attempt: impl FnMut(u32) -> Result<T, E>,
) -> Result<T, PolicyError> {
    let started = clock.now();
    for number in 1..=policy.max_attempts {
        match attempt(number) {
            Ok(value) => return Ok(value),
            Err(_) if number == policy.max_attempts => break,
            Err(_) => {}
        }
        let wait = policy.delay_for(number);
        if timeouts.remaining(clock.now() - started) < wait {
            return Err(PolicyError::OutOfTime { spent: clock.now() - started });
        }
        clock.sleep(wait);
    }
    Err(PolicyError::Exhausted { attempts: policy.max_attempts })
}

/// At most `burst` requests per `window_ms`.
#[derive(Debug, Clone)]
pub struct RateLimit {
    pub burst: u32,
    pub window_ms: u64,
    sent: Vec<Duration>,
}

impl RateLimit {
    pub fn new(burst: u32, window_ms: u64) -> RateLimit {
        RateLimit { burst, window_ms, sent: Vec::new() }
    }

    /// The sliding window as a duration.
    pub fn window(&self) -> Duration {
        Duration::from_millis(self.window_ms)
    }

    /// How long to wait at `now` before the next request may go; records it as sent.
    pub fn acquire(&mut self, now: Duration) -> Duration {
        let window = self.window();
        self.sent.retain(|&at| now.saturating_sub(at) < window);
        let wait = if self.sent.len() < self.burst as usize {
            Duration::ZERO
        } else {
            (self.sent[0] + window).saturating_sub(now)
        };
        self.sent.push(now + wait);
        wait
    }
}

/// Reads `"250ms"`, `"3s"` or a bare number of milliseconds from a config value.
pub fn parse_setting_ms(text: &str) -> Option<u64> {
    let text = text.trim();
    if let Some(seconds) = text.strip_suffix('s').filter(|t| !t.ends_with('m')) {
        return seconds.trim().parse::<u64>().ok().map(|s| s * 1000);
    }
    text.strip_suffix("ms").unwrap_or(text).trim().parse().ok()
}
