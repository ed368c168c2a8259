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
    let secs = match std::env::var_os("SOURCE_DATE_EPOCH") {
        Some(value) if !value.is_empty() => epoch(&value.to_string_lossy())?,
        _ => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
    };
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    Ok(format!("{y:04}-{m:02}-{d:02}"))
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
    use super::{civil_from_days, epoch, LAST_SECOND};

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
