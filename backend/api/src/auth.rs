//! Who is calling: the session cookie (browsers) or an `Authorization: Bearer` token (other
//! clients), resolved to an active member on every request.

use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use coagent_store::{Member, Role, SessionToken, Timestamp};

use crate::error::ApiError;
use crate::state::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "coagent_session";

/// The signed-in member. Using it as a handler argument makes the route require a session.
#[derive(Debug, Clone)]
pub struct CurrentMember(pub Member);

impl CurrentMember {
    pub fn is_concierge(&self) -> bool {
        self.0.role == Role::Concierge
    }
}

impl FromRequestParts<AppState> for CurrentMember {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = bearer_token(parts).or_else(|| cookie_token(parts)).ok_or(ApiError::Unauthenticated)?;
        let member = state.store.member_for_token(&token, Timestamp::now()).await?;
        member.map(CurrentMember).ok_or(ApiError::InvalidSession)
    }
}

/// The signed-in concierge. Using it as a handler argument makes the route concierge-only:
/// no session is 401, a manager's session is 403.
#[derive(Debug, Clone)]
pub struct Concierge(pub Member);

impl FromRequestParts<AppState> for Concierge {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let CurrentMember(member) = CurrentMember::from_request_parts(parts, state).await?;
        if member.role == Role::Concierge {
            Ok(Concierge(member))
        } else {
            Err(ApiError::NotConcierge)
        }
    }
}

fn bearer_token(parts: &Parts) -> Option<SessionToken> {
    let value = parts.headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty()).then(|| SessionToken::new(token.trim()))
}

fn cookie_token(parts: &Parts) -> Option<SessionToken> {
    parts
        .headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == SESSION_COOKIE && !value.is_empty())
        .map(|(_, value)| SessionToken::new(value))
}

/// The `Set-Cookie` value for a new session: HttpOnly so page scripts cannot read it,
/// SameSite=Lax so other sites cannot make requests that carry it.
pub fn session_cookie(token: &SessionToken, max_age_secs: u64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}", token.expose())
}

#[cfg(test)]
mod tests {
    use axum::http::Request;

    use super::*;

    fn parts(header: (&str, &str)) -> Parts {
        Request::builder().header(header.0, header.1).body(()).unwrap().into_parts().0
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let parts = parts(("cookie", "theme=dark; coagent_session=abc123; lang=fr"));
        assert_eq!(cookie_token(&parts).unwrap().expose(), "abc123");
    }

    #[test]
    fn a_bearer_token_is_read_whatever_the_scheme_case() {
        assert_eq!(bearer_token(&parts(("authorization", "bearer xyz"))).unwrap().expose(), "xyz");
        assert!(bearer_token(&parts(("authorization", "Basic xyz"))).is_none());
    }

    #[test]
    fn the_cookie_is_http_only_and_same_site_lax() {
        let cookie = session_cookie(&SessionToken::new("t"), 60, false);
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && !cookie.contains("Secure"));
    }
}
