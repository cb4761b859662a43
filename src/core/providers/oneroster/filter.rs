//! OneRoster 1.1 §3.4.2 filters: `field op 'value'`, predicates joined by ` AND ` or ` OR `.
//!
//! The specification defines no escape for a quote inside a value; the SDK doubles it (`''`,
//! as SQL does), which is what the project's simulator reads and what keeps a value from ending
//! the literal. Field names are checked so a value can never turn into syntax.

use crate::core::error::{Error, Result};
use crate::core::text::concat;

/// A comparison of the filter grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `~` (contains)
    Contains,
}

impl Op {
    /// `=`, `!=`, `>`, `>=`, `<`, `<=`, `~`, or the words `eq`, `ne`, `gt`, `ge`, `lt`, `le`,
    /// `contains`.
    pub fn parse(text: &str) -> Result<Op> {
        Ok(match text {
            "=" | "eq" => Op::Eq,
            "!=" | "ne" => Op::Ne,
            ">" | "gt" => Op::Gt,
            ">=" | "ge" => Op::Ge,
            "<" | "lt" => Op::Lt,
            "<=" | "le" => Op::Le,
            "~" | "contains" => Op::Contains,
            _ => {
                return Err(Error::invalid_argument(
                    "OneRoster filter operator must be one of = != > >= < <= ~",
                ))
            }
        })
    }

    fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Contains => "~",
        }
    }
}

/// A filter expression under construction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    text: String,
    /// The logical operator used so far (the grammar has no parentheses: one kind per filter).
    logic: Option<&'static str>,
}

impl Filter {
    /// One predicate.
    pub fn predicate(field: &str, op: Op, value: &str) -> Result<Filter> {
        Ok(Filter {
            text: predicate(field, op, value)?,
            logic: None,
        })
    }

    /// This filter `AND` another predicate.
    pub fn and(self, field: &str, op: Op, value: &str) -> Result<Filter> {
        self.join("AND", field, op, value)
    }

    /// This filter `OR` another predicate.
    pub fn or(self, field: &str, op: Op, value: &str) -> Result<Filter> {
        self.join("OR", field, op, value)
    }

    fn join(self, logic: &'static str, field: &str, op: Op, value: &str) -> Result<Filter> {
        if self.logic.is_some_and(|l| l != logic) {
            return Err(Error::invalid_argument(
                "a OneRoster filter has no parentheses: use AND or OR, not both",
            ));
        }
        Ok(Filter {
            text: concat(&[&self.text, " ", logic, " ", &predicate(field, op, value)?]),
            logic: Some(logic),
        })
    }

    /// The `filter` parameter's value (before URL encoding).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

fn predicate(field: &str, op: Op, value: &str) -> Result<String> {
    let mut chars = field.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
    if !ok {
        return Err(Error::invalid_argument(
            "OneRoster filter field must be a field name (letters, digits, '_' or '.')",
        ));
    }
    // A quote inside the value is doubled, as in SQL.
    let mut out = concat(&[field, op.as_str(), "'"]);
    for c in value.chars() {
        if c == '\'' {
            out.push(c);
        }
        out.push(c);
    }
    out.push('\'');
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn predicates_join_and_escape() {
        let f = Filter::predicate("status", Op::Eq, "active")
            .unwrap()
            .and("familyName", Op::Contains, "O'Brien (Jr.) = *!")
            .unwrap();
        assert_eq!(
            f.as_str(),
            "status='active' AND familyName~'O''Brien (Jr.) = *!'"
        );
        let g = Filter::predicate("dateLastModified", Op::Ge, "2025-01-01")
            .unwrap()
            .or("role", Op::parse("eq").unwrap(), "teacher")
            .unwrap();
        assert_eq!(
            g.as_str(),
            "dateLastModified>='2025-01-01' OR role='teacher'"
        );
    }

    #[test]
    fn refuses_mixed_logic_bad_fields_and_ops() {
        let f = Filter::predicate("a", Op::Eq, "1")
            .unwrap()
            .and("b", Op::Eq, "2")
            .unwrap();
        assert!(f.or("c", Op::Eq, "3").is_err());
        assert!(Filter::predicate("a' OR 1='1", Op::Eq, "x").is_err());
        assert!(Filter::predicate("", Op::Eq, "x").is_err());
        assert!(Op::parse("=~").is_err());
    }
}
