//! One record shape whatever the wire format. The document names fields but defines no
//! response schema, so the fields it names are typed by name and every other field is kept
//! as the provider sent it:
//! - ids and counts → numbers (`"50001"` and `50001` alike);
//! - money → numbers (`"45.00"` → `45`);
//! - `MM-DD-YYYY` dates (the document's `date` datatype) → ISO 8601 `YYYY-MM-DD` (with a time
//!   part, `YYYY-MM-DDTHH:MM:SS`); an ISO date is kept;
//! - `T`/`F` (its `bool` datatype), `true`/`false`, `1`/`0` → booleans;
//! - nested `activities`, `questions`, `options`, `answers` → arrays, even when XML has one
//!   element (`<activities><activity>…</activity></activities>`) or none (`<activities/>`);
//! - an empty value of a typed field is absent, not an error; a wrongly typed one is `PARSE`
//!   naming the method and the field.

use super::{Method, PROVIDER};
use crate::core::error::Error;
use crate::core::parse::typed::{Rule, Rules};
use crate::core::text::concat;

/// The typing of one method's records (the method names the errors).
#[derive(Debug, Clone, Copy)]
pub struct ZapRules(pub Method);

impl Rules for ZapRules {
    fn rule(&self, name: &str) -> Rule {
        match rule_of(name) {
            // ZapEvent writes its field names in lower case; another case is read the same.
            Rule::Keep if name.bytes().any(|b| b.is_ascii_uppercase()) => {
                rule_of(&name.to_ascii_lowercase())
            }
            rule => rule,
        }
    }

    fn error(&self, field: &str, why: &str) -> Error {
        Error::parse(concat(&[
            "ZapEvent ",
            self.0.js_name(),
            "(): field '",
            field,
            "' ",
            why,
        ]))
        .with_provider(PROVIDER)
    }
}

/// The fields the document names (and their usual neighbours), typed by name. Matched by
/// length first: at opt-level z a plain string `match` compares against every arm in turn, and
/// this runs for every field of every record.
fn rule_of(name: &str) -> Rule {
    const INTEGER: Rule = Rule::Integer;
    const MONEY: Rule = Rule::Money;
    const DATE: Rule = Rule::Date;
    const BOOL: Rule = Rule::Bool;
    match name.len() {
        3 => match name {
            "age" => INTEGER,
            "fee" => MONEY,
            _ => Rule::Keep,
        },
        4 => match name {
            "page" => INTEGER,
            "fees" | "paid" => {
                if name == "paid" {
                    BOOL
                } else {
                    MONEY
                }
            }
            "date" => DATE,
            _ => Rule::Keep,
        },
        5 => match name {
            "price" => MONEY,
            _ => Rule::Keep,
        },
        6 => match name {
            "amount" => MONEY,
            _ => Rule::Keep,
        },
        7 => match name {
            "balance" => MONEY,
            "created" | "updated" => DATE,
            "answers" => Rule::List { item: "answer" },
            "options" => Rule::List { item: "option" },
            _ => Rule::Keep,
        },
        8 => match name {
            "event_id" | "capacity" => INTEGER,
            "end_date" => DATE,
            "discount" | "modified" => {
                if name == "discount" {
                    MONEY
                } else {
                    DATE
                }
            }
            "required" => BOOL,
            _ => Rule::Keep,
        },
        9 => match name {
            "questions" => Rule::List { item: "question" },
            "is_public" | "cancelled" => BOOL,
            _ => Rule::Keep,
        },
        10 => match name {
            "start_date" | "event_date" | "birth_date" => DATE,
            "total_paid" | "amount_due" => MONEY,
            "checked_in" | "is_private" | "waitlisted" => BOOL,
            "activities" => Rule::List { item: "activity" },
            "sort_order" | "spots_left" => INTEGER,
            _ => Rule::Keep,
        },
        11 => match name {
            "activity_id" | "question_id" | "category_id" | "event_count" | "total_count"
            | "total_pages" => INTEGER,
            "amount_paid" => MONEY,
            _ => Rule::Keep,
        },
        12 => match name {
            "payment_date" => DATE,
            _ => Rule::Keep,
        },
        13 => match name {
            "date_of_birth" => DATE,
            "refund_amount" => MONEY,
            _ => Rule::Keep,
        },
        14 => match name {
            "participant_id" => INTEGER,
            "payment_amount" => MONEY,
            _ => Rule::Keep,
        },
        15 => match name {
            "registration_id" => INTEGER,
            _ => Rule::Keep,
        },
        16 => match name {
            "results_per_page" => INTEGER,
            _ => Rule::Keep,
        },
        17 => match name {
            "registration_date" | "participant_count" => {
                if name == "participant_count" {
                    INTEGER
                } else {
                    DATE
                }
            }
            _ => Rule::Keep,
        },
        22 => match name {
            "future_activities_only" => BOOL,
            _ => Rule::Keep,
        },
        _ => Rule::Keep,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The typed names, listed plainly: `rule_of`'s length-first match must agree with them.
    #[test]
    fn every_typed_name_has_its_rule() {
        let groups: [(&[&str], Rule); 4] = [
            (
                &[
                    "event_id",
                    "activity_id",
                    "question_id",
                    "registration_id",
                    "participant_id",
                    "category_id",
                    "event_count",
                    "age",
                    "sort_order",
                    "capacity",
                    "spots_left",
                    "participant_count",
                    "total_count",
                    "page",
                    "results_per_page",
                    "total_pages",
                ],
                Rule::Integer,
            ),
            (
                &[
                    "price",
                    "amount",
                    "amount_paid",
                    "amount_due",
                    "balance",
                    "discount",
                    "fee",
                    "fees",
                    "total_paid",
                    "payment_amount",
                    "refund_amount",
                ],
                Rule::Money,
            ),
            (
                &[
                    "start_date",
                    "end_date",
                    "created",
                    "registration_date",
                    "payment_date",
                    "date",
                    "event_date",
                    "modified",
                    "updated",
                    "birth_date",
                    "date_of_birth",
                ],
                Rule::Date,
            ),
            (
                &[
                    "required",
                    "checked_in",
                    "is_public",
                    "is_private",
                    "paid",
                    "waitlisted",
                    "cancelled",
                    "future_activities_only",
                ],
                Rule::Bool,
            ),
        ];
        for (names, rule) in groups {
            for name in names {
                assert_eq!(rule_of(name), rule, "{name}");
                assert_eq!(
                    ZapRules(Method::Events).rule(&name.to_ascii_uppercase()),
                    rule,
                    "{name}"
                );
            }
        }
        for (name, item) in [
            ("activities", "activity"),
            ("questions", "question"),
            ("answers", "answer"),
            ("options", "option"),
        ] {
            assert_eq!(rule_of(name), Rule::List { item });
        }
        for other in [
            "name",
            "email",
            "first_name",
            "notes",
            "x",
            "",
            "registration_idx",
            "ages",
        ] {
            assert_eq!(rule_of(other), Rule::Keep, "{other}");
        }
    }
}
