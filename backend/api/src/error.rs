//! The one error type of the API. Each case has a stable snake_case `code` the PWA switches on
//! and a status; internal causes are logged with their whole chain and never shown.

use axum::extract::rejection::JsonRejection;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use coagent_domain::EngineError;
use coagent_store::StoreError;
use serde::Serialize;

/// Why a request failed, as the client sees it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("sign in first: send the session cookie or an `Authorization: Bearer` token")]
    Unauthenticated,
    #[error("this session is unknown or has expired; join again with an invite link")]
    InvalidSession,
    #[error("only the concierge can do this")]
    NotConcierge,
    #[error("not found")]
    NotFound,
    /// Something that existed and was removed on purpose (audio past its retention period).
    #[error("{0}")]
    Gone(String),
    #[error("{0}")]
    InvalidJson(String),
    #[error("{0}")]
    InvalidInput(String),
    #[error("this invite code is unknown; ask for a new invite link")]
    InviteUnknown,
    #[error("this invite code has already been used; ask for a new invite link")]
    InviteUsed,
    #[error("this invite code has expired; ask for a new invite link")]
    InviteExpired,
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    InvalidTransition(String),
    #[error("the request body is larger than the limit of {} MB", .0 / 1_000_000)]
    PayloadTooLarge(u64),
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    InvalidAudio(String),
    #[error("the server is busy with other requests; try again in a few seconds")]
    Busy,
    /// Anything the client cannot fix. The cause is logged, the client sees a generic sentence.
    #[error("something went wrong on the server")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    pub fn internal(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        ApiError::Internal(error.into())
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::InvalidSession => "invalid_session",
            ApiError::NotConcierge => "not_concierge",
            ApiError::NotFound => "not_found",
            ApiError::Gone(_) => "gone",
            ApiError::InvalidJson(_) => "invalid_json",
            ApiError::InvalidInput(_) => "invalid_input",
            ApiError::InviteUnknown => "invite_unknown",
            ApiError::InviteUsed => "invite_used",
            ApiError::InviteExpired => "invite_expired",
            ApiError::Conflict(_) => "conflict",
            ApiError::InvalidTransition(_) => "invalid_transition",
            ApiError::PayloadTooLarge(_) => "payload_too_large",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
            ApiError::InvalidAudio(_) => "invalid_audio",
            ApiError::Busy => "busy",
            ApiError::Internal(_) => "internal",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthenticated | ApiError::InvalidSession => StatusCode::UNAUTHORIZED,
            ApiError::NotConcierge => StatusCode::FORBIDDEN,
            ApiError::NotFound | ApiError::InviteUnknown => StatusCode::NOT_FOUND,
            ApiError::Gone(_) => StatusCode::GONE,
            ApiError::InvalidJson(_) => StatusCode::BAD_REQUEST,
            ApiError::InvalidInput(_) | ApiError::InvalidAudio(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::InviteUsed | ApiError::InviteExpired => StatusCode::GONE,
            ApiError::Conflict(_) | ApiError::InvalidTransition(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// Logs a server-side failure with its chain of causes; client mistakes are not logged
    /// as errors (they would drown the real ones).
    pub fn log(&self) {
        if let ApiError::Internal(source) = self {
            let mut chain = source.to_string();
            let mut cause = source.source();
            while let Some(next) = cause {
                chain.push_str(": ");
                chain.push_str(&next.to_string());
                cause = next.source();
            }
            tracing::error!(error = %chain, "request failed");
        }
    }
}

/// axum's default body limit, which JSON bodies keep.
const JSON_LIMIT_BYTES: u64 = 2 * 1024 * 1024;

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable snake_case code to switch on.
    pub code: String,
    /// A human sentence saying what to do.
    pub message: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.log();
        let body = ErrorBody { error: ErrorDetail { code: self.code().into(), message: self.to_string() } };
        let mut response = (self.status(), axum::Json(body)).into_response();
        if matches!(self, ApiError::Busy) {
            response.headers_mut().insert(header::RETRY_AFTER, header::HeaderValue::from_static("5"));
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict(what) => ApiError::Conflict(format!("this clashes with existing data ({what})")),
            StoreError::Invalid(why) => ApiError::InvalidInput(why),
            StoreError::InviteUnknown => ApiError::InviteUnknown,
            StoreError::InviteUsed => ApiError::InviteUsed,
            StoreError::InviteExpired => ApiError::InviteExpired,
            error @ (StoreError::InvalidTransition { .. } | StoreError::AskNotDraft(_) | StoreError::AskHasNoCard) => {
                ApiError::InvalidTransition(error.to_string())
            }
            StoreError::RecordingFinished => ApiError::InvalidTransition(error.to_string()),
            StoreError::AudioDeleted => {
                ApiError::Gone("the recording was deleted after the retention period; the transcript is kept".into())
            }
            other => ApiError::internal(other),
        }
    }
}

impl From<EngineError> for ApiError {
    fn from(error: EngineError) -> Self {
        match error {
            EngineError::Busy => ApiError::Busy,
            EngineError::InvalidInput(why) => ApiError::InvalidInput(why),
            other => ApiError::internal(other),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection.status() {
            StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge(JSON_LIMIT_BYTES),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                ApiError::UnsupportedMediaType("send JSON with `Content-Type: application/json`".into())
            }
            _ => ApiError::InvalidJson(rejection.body_text()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_internal_error_never_shows_its_cause() {
        let error = ApiError::internal(std::io::Error::other("disk /secret/path failed"));
        assert_eq!(error.to_string(), "something went wrong on the server");
        assert_eq!(error.code(), "internal");
    }

    #[test]
    fn a_full_engine_queue_is_a_busy_503() {
        let error = ApiError::from(EngineError::Busy);
        assert_eq!((error.status(), error.code()), (StatusCode::SERVICE_UNAVAILABLE, "busy"));
    }
}
