//! IMS OneRoster rostering (seed 002) in its three ways in: 1.1 signed directly with two-legged
//! OAuth 1.0a, 1.1 through ClassLink's Bearer proxy, and 1.2 with an OAuth 2 client-credentials
//! token. One request/parse pair per call over [`Credentials`], paged by offset/limit.
//!
//! - `filter`: §3.4.2 filter expressions.
//! - `wire`: list and single-record bodies, the imsx status payload, page metadata.
//!
//! [`Credentials`]: crate::core::credentials::Credentials

pub mod filter;
pub mod wire;

use crate::core::error::{Error, Result};
use crate::core::form::rfc3986_encode;
use crate::core::http::Request;
use crate::core::paging::PageRequest;
use crate::core::text::{concat, decimal};
use crate::core::url::Url;

/// Provider name on errors.
pub const PROVIDER: &str = "oneroster";
/// The 1.1 REST binding's base path under a server URL.
pub const V1P1_PATH: &str = "/ims/oneroster/v1p1";
/// The 1.2 rostering service's base path under a server URL.
pub const V1P2_PATH: &str = "/ims/oneroster/rostering/v1p2";
/// OneRoster 1.2 scope for the core rostering collections.
pub const SCOPE_ROSTER_CORE_READONLY: &str =
    "https://purl.imsglobal.org/spec/or/v1p2/scope/roster-core.readonly";
/// OneRoster 1.2 scope for demographics.
pub const SCOPE_DEMOGRAPHICS_READONLY: &str =
    "https://purl.imsglobal.org/spec/or/v1p2/scope/roster-demographics.readonly";
/// Page sizes: the specification's default 100 (1.1 §3.4.1); servers cap as they like.
pub const PAGE_SIZES: crate::core::paging::PageSizes = crate::core::paging::PageSizes {
    default: 100,
    min: 1,
    max: 10_000,
};

/// A rostering collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Collection {
    /// `orgs`
    Orgs,
    /// `schools` (orgs of type school)
    Schools,
    /// `academicSessions`
    AcademicSessions,
    /// `terms` (academic sessions of type term)
    Terms,
    /// `gradingPeriods`
    GradingPeriods,
    /// `courses`
    Courses,
    /// `classes`
    Classes,
    /// `users`
    Users,
    /// `students`
    Students,
    /// `teachers`
    Teachers,
    /// `enrollments`
    Enrollments,
    /// `demographics`
    Demographics,
}

const COLLECTIONS: [Collection; 12] = [
    Collection::Orgs,
    Collection::Schools,
    Collection::AcademicSessions,
    Collection::Terms,
    Collection::GradingPeriods,
    Collection::Courses,
    Collection::Classes,
    Collection::Users,
    Collection::Students,
    Collection::Teachers,
    Collection::Enrollments,
    Collection::Demographics,
];

/// The nested endpoints a roster sync needs: `(parent, child)` as in `/schools/{id}/classes`.
const NESTED: &[(Collection, Collection)] = &[
    (Collection::Schools, Collection::Classes),
    (Collection::Schools, Collection::Students),
    (Collection::Schools, Collection::Teachers),
    (Collection::Schools, Collection::Enrollments),
    (Collection::Schools, Collection::Courses),
    (Collection::Schools, Collection::Terms),
    (Collection::Classes, Collection::Students),
    (Collection::Classes, Collection::Teachers),
    (Collection::Classes, Collection::Enrollments),
    (Collection::Terms, Collection::Classes),
    (Collection::Terms, Collection::GradingPeriods),
    (Collection::Courses, Collection::Classes),
    (Collection::Users, Collection::Classes),
    (Collection::Students, Collection::Classes),
    (Collection::Teachers, Collection::Classes),
];

impl Collection {
    /// Parses the path name (`"academicSessions"`, …).
    pub fn parse(name: &str) -> Result<Collection> {
        COLLECTIONS.into_iter().find(|c| c.path() == name).ok_or_else(|| {
            Error::invalid_argument(concat(&[
                "unknown OneRoster collection '",
                name,
                "' (orgs, schools, academicSessions, terms, gradingPeriods, courses, classes, users, students, teachers, enrollments, demographics)",
            ]))
        })
    }

    /// The path segment.
    pub fn path(self) -> &'static str {
        match self {
            Collection::Orgs => "orgs",
            Collection::Schools => "schools",
            Collection::AcademicSessions => "academicSessions",
            Collection::Terms => "terms",
            Collection::GradingPeriods => "gradingPeriods",
            Collection::Courses => "courses",
            Collection::Classes => "classes",
            Collection::Users => "users",
            Collection::Students => "students",
            Collection::Teachers => "teachers",
            Collection::Enrollments => "enrollments",
            Collection::Demographics => "demographics",
        }
    }

    /// The JSON keys of a list and of one record (`schools` answer `orgs` / `org`).
    pub fn keys(self) -> (&'static str, &'static str) {
        let keys = self.list_keys();
        (keys[0], keys[1])
    }

    /// The keys that may hold a list's records: the plural, then the singular (a one-record
    /// list some servers send).
    pub fn list_keys(self) -> &'static [&'static str] {
        match self {
            Collection::Orgs | Collection::Schools => &["orgs", "org"],
            Collection::AcademicSessions | Collection::Terms | Collection::GradingPeriods => {
                &["academicSessions", "academicSession"]
            }
            Collection::Courses => &["courses", "course"],
            Collection::Classes => &["classes", "class"],
            Collection::Users | Collection::Students | Collection::Teachers => &["users", "user"],
            Collection::Enrollments => &["enrollments", "enrollment"],
            Collection::Demographics => &["demographics", "demographics"],
        }
    }

    /// The key that holds one record (`{"user": {…}}`).
    pub fn record_keys(self) -> &'static [&'static str] {
        &self.list_keys()[1..]
    }
}

/// What a call reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A whole collection.
    Collection(Collection),
    /// One record by `sourcedId`.
    Record(Collection, String),
    /// A collection within a parent record (`/schools/{id}/classes`).
    Nested {
        /// The parent collection.
        parent: Collection,
        /// The parent's `sourcedId`.
        id: String,
        /// The collection within it.
        child: Collection,
    },
}

impl Target {
    /// A nested target, if the specification defines that nesting.
    pub fn nested(parent: Collection, id: &str, child: Collection) -> Result<Target> {
        if !NESTED.contains(&(parent, child)) {
            return Err(Error::invalid_argument(concat(&[
                "OneRoster has no ",
                parent.path(),
                "/{id}/",
                child.path(),
                " endpoint",
            ])));
        }
        check_id(id)?;
        Ok(Target::Nested {
            parent,
            id: id.to_owned(),
            child,
        })
    }

    /// The collection whose records come back.
    pub fn collection(&self) -> Collection {
        match self {
            Target::Collection(c) | Target::Record(c, _) => *c,
            Target::Nested { child, .. } => *child,
        }
    }

    fn path(&self) -> String {
        let seg = |id: &str| rfc3986_encode(id.as_bytes());
        match self {
            Target::Collection(c) => concat(&["/", c.path()]),
            Target::Record(c, id) => concat(&["/", c.path(), "/", &seg(id)]),
            Target::Nested { parent, id, child } => {
                concat(&["/", parent.path(), "/", &seg(id), "/", child.path()])
            }
        }
    }
}

/// A `sourcedId` as a path segment: non-empty, and percent-encoded when sent.
pub fn check_id(id: &str) -> Result<()> {
    if id.is_empty() {
        return Err(Error::invalid_argument(
            "a OneRoster sourcedId must not be empty",
        ));
    }
    Ok(())
}

/// `sort` order (`orderBy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// `asc`
    Asc,
    /// `desc`
    Desc,
}

/// The query parameters of a list call (1.1 §3.4).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// `filter`, already built (see [`filter::Filter`]) or as the caller wrote it.
    pub filter: Option<String>,
    /// `sort`: a field name.
    pub sort: Option<String>,
    /// `orderBy`.
    pub order_by: Option<Order>,
    /// `fields`: the fields to return.
    pub fields: Vec<String>,
}

/// The API of one server: its OneRoster base URL (`…/ims/oneroster/v1p1` or
/// `…/ims/oneroster/rostering/v1p2`).
#[derive(Debug, Clone)]
pub struct Api {
    /// The base URL, no trailing slash.
    pub base_url: String,
    /// Allow `http:` to non-loopback hosts (test rigs only).
    pub allow_insecure: bool,
    origin: String,
}

impl Api {
    /// An API at `base_url`, checked against the HTTPS rule.
    pub fn new(base_url: &str, allow_insecure: bool) -> Result<Api> {
        let base = base_url.trim_end_matches('/');
        super::endpoint(base, "/", allow_insecure)?;
        Ok(Api {
            origin: origin_of(base)?,
            base_url: base.to_owned(),
            allow_insecure,
        })
    }

    /// The GET request of `target`, for `page` when it is a list. A `Link: rel="next"` URL
    /// from the server is followed only on the API's own origin: credentials never go to
    /// another host because a response said so.
    pub fn request(
        &self,
        target: &Target,
        query: &ListQuery,
        page: Option<&PageRequest>,
    ) -> Result<Request> {
        let url = match page.and_then(|p| p.next.as_deref()) {
            Some(next) => {
                if origin_of(next)? != self.origin {
                    return Err(Error::parse(
                        "OneRoster: the server's Link rel=\"next\" points to another origin; not followed",
                    )
                    .with_provider(PROVIDER));
                }
                Url::parse(next)?.require_secure(self.allow_insecure)?;
                next.to_owned()
            }
            None => self.first_page_url(target, query, page),
        };
        Ok(Request {
            method: "GET".into(),
            url,
            headers: vec![("Accept".into(), "application/json".into())],
            body: None,
        })
    }

    fn first_page_url(
        &self,
        target: &Target,
        query: &ListQuery,
        page: Option<&PageRequest>,
    ) -> String {
        let mut params: Vec<(&str, String)> = Vec::new();
        if let Some(page) = page {
            params.push(("limit", decimal(page.limit)));
            params.push(("offset", decimal(page.offset)));
        }
        if let Some(f) = &query.filter {
            params.push(("filter", f.clone()));
        }
        if let Some(s) = &query.sort {
            params.push(("sort", s.clone()));
        }
        if let Some(o) = query.order_by {
            params.push((
                "orderBy",
                if o == Order::Asc { "asc" } else { "desc" }.into(),
            ));
        }
        if !query.fields.is_empty() {
            params.push(("fields", query.fields.join(",")));
        }
        let mut url = concat(&[&self.base_url, &target.path()]);
        for (i, (name, value)) in params.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(name);
            url.push('=');
            // RFC 3986 encoding: what OAuth 1.0a signs (§3.6) is then exactly what is sent.
            url.push_str(&rfc3986_encode(value.as_bytes()));
        }
        url
    }
}

/// `scheme://host[:port]` of a URL, lower-cased.
fn origin_of(url: &str) -> Result<String> {
    let rest_at = crate::core::text::find(url, "://")
        .ok_or_else(|| Error::invalid_argument("invalid URL: not absolute"))?
        + 3;
    let end = url[rest_at..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| rest_at + i);
    Ok(url[..end].to_ascii_lowercase())
}

/// The OneRoster 1.2 client: client credentials at `token_url` with HTTP Basic client
/// authentication (RFC 6749 §2.3.1, as 1.2 requires) and the scopes to ask for.
#[cfg(feature = "oauth2")]
pub fn oauth2_client(
    token_url: &str,
    client_id: impl Into<String>,
    client_secret: impl Into<crate::core::secret::ClientSecret>,
    allow_insecure: bool,
) -> Result<crate::core::oauth2::ClientConfig> {
    use crate::core::oauth2::{ClientAuth, ClientConfig};
    Url::parse(token_url)?.require_secure(allow_insecure)?;
    let mut c = ClientConfig::new(client_id, token_url)
        .with_secret(client_secret)
        .with_auth(ClientAuth::Basic);
    c.provider = Some(PROVIDER.into());
    c.allow_insecure = allow_insecure;
    c.validate()?;
    Ok(c)
}

#[cfg(test)]
mod tests;
