//! Today's date for documents, honouring `SOURCE_DATE_EPOCH` for reproducible output.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{Error, Result};

/// The last second of 9999-12-31: documents carry four-digit years.
const LAST_SECOND: i64 = 253_402_300_799;

/// Today's date (UTC) as `YYYY-MM-DD`; `SOURCE_DATE_EPOCH` (seconds) overrides the clock. A
/// value that is not a whole number of seconds is an error, as the reproducible-builds
/// convention asks: falling back to the clock would quietly make the output unreproducible.
/// Set but empty counts as unset.
pub(crate) fn today() -> Result<String> {
    let (y, m, d) = civil_from_days(now()?.div_euclid(86_400));
    Ok(format!("{y:04}-{m:02}-{d:02}"))
}

/// Seconds since 1970-01-01 UTC: the clock, or `SOURCE_DATE_EPOCH` when set (see [`today`]).
pub(crate) fn now() -> Result<i64> {
    Ok(match std::env::var_os("SOURCE_DATE_EPOCH") {
        Some(value) if !value.is_empty() => epoch(&value.to_string_lossy())?,
        _ => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
    })
}

/// `secs` as the UTC timestamp `YYYYMMDD-HHMMSS`.
pub(crate) fn stamp(secs: i64) -> String {
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!(
        "{y:04}{m:02}{d:02}-{:02}{:02}{:02}",
        t / 3600,
        t / 60 % 60,
        t % 60
    )
}

/// The seconds of a UTC timestamp `YYYYMMDD-HHMMSS`; `None` unless `text` is exactly one, of a
/// real date and time (so that [`stamp`] gives `text` back).
pub(crate) fn parse_stamp(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<i64> {
        b.get(r.clone())
            .filter(|d| d.iter().all(u8::is_ascii_digit))
            .and_then(|_| text[r].parse().ok())
    };
    if b.len() != 15 || b[8] != b'-' {
        return None;
    }
    let (y, m, d) = (digits(0..4)?, digits(4..6)?, digits(6..8)?);
    let (h, min, s) = (digits(9..11)?, digits(11..13)?, digits(13..15)?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) || h > 23 || min > 59 || s > 59 {
        return None;
    }
    let secs = days_from_civil(y, m as u32, d as u32) * 86_400 + h * 3600 + min * 60 + s;
    (stamp(secs) == text).then_some(secs)
}

/// A proleptic Gregorian (year, month, day) to days since 1970-01-01: the inverse of
/// [`civil_from_days`].
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `value` as an error quotes it: its start, when it is long.
fn shown(value: &str) -> String {
    match value.char_indices().nth(40) {
        Some((end, _)) => format!("{}…", &value[..end]),
        None => value.to_string(),
    }
}

/// `SOURCE_DATE_EPOCH`'s seconds: ASCII digits (as `date +%s` prints them), at most the end of
/// the year 9999.
fn epoch(value: &str) -> Result<i64> {
    let secs = Some(value)
        .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|v| v.parse::<i64>().ok())
        .filter(|&s| s <= LAST_SECOND);
    secs.ok_or_else(|| {
        Error::environment(
            format!(
                "SOURCE_DATE_EPOCH is `{}`, not a number of seconds since 1970-01-01 up to the year 9999",
                shown(value)
            ),
            "set it to whole seconds as `date +%s` prints them (e.g. `git log -1 --format=%ct`), or unset it to date documents today",
        )
        .into()
    })
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    // Howard Hinnant's algorithm: shift to an era starting on 0000-03-01.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::{civil_from_days, days_from_civil, epoch, parse_stamp, stamp, LAST_SECOND};

    #[test]
    fn stamps_round_trip_and_reject_impossible_times() {
        assert_eq!(stamp(0), "19700101-000000");
        assert_eq!(stamp(1_795_564_800 + 3661), "20261125-010101");
        assert_eq!(parse_stamp("20261125-010101"), Some(1_795_564_800 + 3661));
        assert_eq!(parse_stamp("20000229-235959"), Some(951_868_799));
        for bad in [
            "20260231-000000",
            "20261301-000000",
            "20261125-240000",
            "20261125-006000",
            "20261125010101",
            "2026112-0101010",
            "20261125-01010",
            "2026112a-010101",
        ] {
            assert_eq!(parse_stamp(bad), None, "{bad}");
        }
        for days in [-1, 0, 11_016, 20_782, 2_932_896] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }

    #[test]
    fn source_date_epoch_is_whole_seconds_or_an_error() {
        assert_eq!(epoch("1795564800").unwrap(), 1_795_564_800);
        assert_eq!(epoch("0").unwrap(), 0);
        assert_eq!(epoch(&LAST_SECOND.to_string()).unwrap(), LAST_SECOND);
        for bad in [
            "abc",
            "1e9",
            "12345678901234567890",
            "253402300800",
            "-1",
            "+5",
            " 5",
            "5\n",
            "1.5",
        ] {
            let e = epoch(bad).unwrap_err().to_string();
            assert!(e.starts_with("SOURCE_DATE_EPOCH is `"), "{bad:?}: {e}");
        }
    }

    #[test]
    fn known_dates() {
        for (days, expected) in [
            (0, (1970, 1, 1)),
            (-1, (1969, 12, 31)),
            (11_016, (2000, 2, 29)),
            (20_417, (2025, 11, 25)),
            (20_782, (2026, 11, 25)),
            (2_932_896, (9999, 12, 31)),
        ] {
            assert_eq!(civil_from_days(days), expected, "days {days}");
        }
    }
}
