//! Extractors whose rejections speak the API's error format instead of axum's plain text.

use axum::extract::FromRequest;

use crate::error::ApiError;

/// `axum::Json`, but a malformed body becomes `{"error":{"code":"invalid_json",…}}`.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct ApiJson<T>(pub T);
