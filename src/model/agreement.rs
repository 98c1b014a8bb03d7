//! Agreement data: the version of a responsibility matrix that parties signed, when it
//! took effect, who approved it and when, and how often it is reviewed.
//!
//! A model carries it under `agreement:` in `data/models.yaml`; a project without models
//! (or a model without its own) takes the project's, from `data/agreement.yaml`. Dates are
//! kept as written, with their spans, and read into a [`Day`] by the check, which can
//! point at a date that is not one; the pages show the text as written.

use crate::located::Located;
use schemars::JsonSchema;
use serde::Deserialize;
use std::fmt;

/// `data/agreement.yaml`: the project's agreement data.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AgreementFile {
    pub(crate) agreement: Agreement,
}

/// The agreement a model's matrices are, as signed.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    /// The version label the parties signed, e.g. `2025.1` (at most 64 characters).
    #[schemars(length(min = 1, max = 64))]
    pub(crate) version: Located<String>,
    /// The day this version took effect, written `YYYY-MM-DD`.
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub(crate) effective: Located<String>,
    /// Who approved this version, and when.
    #[serde(default)]
    pub(crate) approvals: Vec<Approval>,
    /// How often the agreement is reviewed, counted from its effective date:
    /// `12 months`, `2 years`, `6 weeks`, `90 days` (at most 10 years).
    #[serde(default)]
    #[schemars(regex(pattern = r"^[0-9]+ (day|week|month|year)s?$"))]
    pub(crate) review_every: Option<Located<String>>,
}

/// One party's approval of an agreement.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Approval {
    /// The id of a party of the model the agreement is for.
    pub(crate) party: Located<String>,
    /// The day the party approved it, written `YYYY-MM-DD`.
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub(crate) date: Located<String>,
}

/// The longest label a version may have: it is shown in headings and printouts.
pub const MAX_VERSION_LABEL: usize = 64;

/// A calendar day of the proleptic Gregorian calendar, years 1000 to 9999.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    year: i32,
    month: u32,
    day: u32,
}

impl Day {
    /// The day written `YYYY-MM-DD`, if it is one: four digits, two and two, a month of
    /// 1 to 12 and a day the month has.
    pub fn parse(text: &str) -> Option<Day> {
        let bytes = text.as_bytes();
        let shaped = bytes.len() == 10
            && bytes[4] == b'-'
            && bytes[7] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
        if !shaped {
            return None;
        }
        let year: i32 = text[0..4].parse().ok()?;
        let month: u32 = text[5..7].parse().ok()?;
        let day: u32 = text[8..10].parse().ok()?;
        let valid =
            year >= 1000 && (1..=12).contains(&month) && (1..=days_in(year, month)).contains(&day);
        valid.then_some(Day { year, month, day })
    }

    /// The day `days` days after 1970-01-01 (as counted by `SOURCE_DATE_EPOCH`).
    pub fn from_unix_days(days: i64) -> Day {
        // Howard Hinnant's days-to-civil algorithm, on eras of 400 years.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Day { year, month, day }
    }

    /// The number of days since 1970-01-01.
    fn unix_days(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let month = i64::from(self.month);
        let mp = if month > 2 { month - 3 } else { month + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The day `interval` after this one. A month or year later keeps the day of the
    /// month where the month has it, and is the month's last day where it has not
    /// (a month after 31 January is the last day of February).
    pub fn after(self, interval: Interval) -> Day {
        let months = |day: Day, n: u32| {
            let total = day.year * 12 + (day.month as i32 - 1) + n as i32;
            let (year, month) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
            Day {
                year,
                month,
                day: day.day.min(days_in(year, month)),
            }
        };
        match interval {
            Interval::Days(n) => Day::from_unix_days(self.unix_days() + i64::from(n)),
            Interval::Weeks(n) => Day::from_unix_days(self.unix_days() + 7 * i64::from(n)),
            Interval::Months(n) => months(self, n),
            Interval::Years(n) => months(self, 12 * n),
        }
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in(year: i32, month: u32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// How long until an agreement's review: a number of days, weeks, months or years.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Interval {
    Days(u32),
    Weeks(u32),
    Months(u32),
    Years(u32),
}

/// The longest review interval, in days: ten years. A longer one is no review at all,
/// and the bound keeps the arithmetic on days far from overflowing.
pub const MAX_REVIEW_DAYS: u32 = 3653;

impl Interval {
    /// `12 months`, `1 year`, `6 weeks`, `90 days`: a whole number from 1 and a unit,
    /// at most ten years long; `None` for anything else.
    pub fn parse(text: &str) -> Option<Interval> {
        let (number, unit) = text.trim().split_once(' ')?;
        if number.is_empty() || number.len() > 4 || !number.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u32 = number.parse().ok()?;
        let unit = unit.trim();
        let interval = match unit.strip_suffix('s').unwrap_or(unit) {
            "day" => Interval::Days(n),
            "week" => Interval::Weeks(n),
            "month" => Interval::Months(n),
            "year" => Interval::Years(n),
            _ => return None,
        };
        let most = match interval {
            Interval::Days(_) => MAX_REVIEW_DAYS,
            Interval::Weeks(_) => MAX_REVIEW_DAYS / 7,
            Interval::Months(_) => 120,
            Interval::Years(_) => 10,
        };
        (1..=most).contains(&n).then_some(interval)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse_only_when_real() {
        assert_eq!(Day::parse("2024-02-29").unwrap().to_string(), "2024-02-29");
        for bad in [
            "2023-02-29",
            "2025-13-01",
            "2025-00-10",
            "2025-04-31",
            "2025-4-01",
            "25-04-01",
            "2025/04/01",
            "0999-01-01",
            "2025-04-01x",
            "",
        ] {
            assert_eq!(Day::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn unix_days_round_trip() {
        assert_eq!(Day::from_unix_days(0).to_string(), "1970-01-01");
        // 2026-01-01T00:00:00Z is 1767225600 seconds after the epoch.
        assert_eq!(
            Day::from_unix_days(1_767_225_600 / 86_400).to_string(),
            "2026-01-01"
        );
        for days in [-1000, 0, 59, 60, 11_016, 20_000, 2_932_896] {
            assert_eq!(Day::from_unix_days(days).unix_days(), days);
        }
    }

    #[test]
    fn intervals_add_as_the_calendar_does() {
        let day = |t| Day::parse(t).unwrap();
        let every = |t| Interval::parse(t).unwrap();
        assert_eq!(day("2024-01-31").after(every("1 month")), day("2024-02-29"));
        assert_eq!(
            day("2025-04-01").after(every("12 months")),
            day("2026-04-01")
        );
        assert_eq!(day("2024-02-29").after(every("1 year")), day("2025-02-28"));
        assert_eq!(day("2025-12-30").after(every("3 days")), day("2026-01-02"));
        assert_eq!(day("2025-12-30").after(every("2 weeks")), day("2026-01-13"));
        for bad in [
            "12",
            "months",
            "0 months",
            "-1 days",
            "1 fortnight",
            "11 years",
            "12months",
        ] {
            assert_eq!(Interval::parse(bad), None, "{bad}");
        }
        assert_eq!(Interval::parse("10 years"), Some(Interval::Years(10)));
    }
}
