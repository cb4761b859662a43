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

/// The fields the document names (and their usual neighbours), typed by name. A table searched
/// in turn, not a `match`: the match (by length, then name) was 2.2 KB of the module, and the
/// search costs XML, the only format that asks per element, no measurable time (issue 10).
const TYPED: [(&[&str], Rule); 4] = [
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

/// The nested lists and the element name of one item.
const LISTS: [(&str, &str); 4] = [
    ("activities", "activity"),
    ("questions", "question"),
    ("answers", "answer"),
    ("options", "option"),
];

fn rule_of(name: &str) -> Rule {
    if let Some((_, rule)) = TYPED.iter().find(|(names, _)| names.contains(&name)) {
        return *rule;
    }
    LISTS
        .iter()
        .find(|(list, _)| *list == name)
        .map_or(Rule::Keep, |&(_, item)| Rule::List { item })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every typed name in any case, the lists, and names next to typed ones kept as sent.
    #[test]
    fn every_typed_name_has_its_rule() {
        let groups = TYPED;
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
