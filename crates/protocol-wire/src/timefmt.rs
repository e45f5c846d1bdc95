//! Human-readable times for decoded tokens (no clock, no time zone database: UTC).

/// `2026-11-23 12:00:05 UTC` for a Unix time in seconds.
pub fn utc(ts: i64) -> String {
    let days = ts.div_euclid(86_400);
    let secs = ts.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02} UTC",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

/// `in 4 min 59 s` / `2 h 1 min ago` relative to `now`.
pub fn relative(ts: i64, now: i64) -> String {
    let delta = ts - now;
    if delta == 0 {
        return "now".into();
    }
    let a = delta.unsigned_abs();
    let text = match a {
        0..=59 => format!("{a} s"),
        60..=3599 => format!("{} min {} s", a / 60, a % 60),
        3600..=86_399 => format!("{} h {} min", a / 3600, a % 3600 / 60),
        _ => format!("{} d {} h", a / 86_400, a % 86_400 / 3600),
    };
    if delta >= 0 {
        format!("in {text}")
    } else {
        format!("{text} ago")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(1_700_000_000), "2023-11-14 22:13:20 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(relative(1300, 1000), "in 5 min 0 s");
        assert_eq!(relative(1000, 8300), "2 h 1 min ago");
    }
}
