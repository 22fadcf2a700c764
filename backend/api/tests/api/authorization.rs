//! Who may call what, for every route the router serves. The routes are enumerated from the
//! same `api_routes()` the server is built from (router and OpenAPI document are made
//! together), so a new route is checked the day it is added.

use coagent_store::Role;
use reqwest::{Method, StatusCode};
use utoipa::openapi::path::{HttpMethod, Operation};
use utoipa::openapi::security::SecurityRequirement;

use crate::helpers::spawn_app;

/// One route as the router serves it, with what its operation declares.
struct Route {
    method: Method,
    path: String,
    public: bool,
    console: bool,
}

fn every_route() -> Vec<Route> {
    let document = coagent_api::api_routes(1_000_000).into_openapi();
    let mut routes = Vec::new();
    for (path, item) in &document.paths.paths {
        let operations: [(HttpMethod, &Option<Operation>); 5] = [
            (HttpMethod::Get, &item.get),
            (HttpMethod::Post, &item.post),
            (HttpMethod::Put, &item.put),
            (HttpMethod::Delete, &item.delete),
            (HttpMethod::Patch, &item.patch),
        ];
        for (method, operation) in operations {
            let Some(operation) = operation else { continue };
            routes.push(Route {
                method: to_method(&method),
                path: path.clone(),
                // `security(())` on an operation: no session needed.
                public: operation.security.as_ref().is_some_and(|list| list.contains(&SecurityRequirement::default())),
                console: path.starts_with("/api/v1/console/"),
            });
        }
    }
    routes
}

fn to_method(method: &HttpMethod) -> Method {
    match method {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Delete => Method::DELETE,
        _ => Method::PATCH,
    }
}

/// Path parameters get a well-formed id that names nothing.
fn concrete(path: &str) -> String {
    let unknown = "0190c2a4-0000-7000-8000-000000000000";
    path.split('/').map(|part| if part.starts_with('{') { unknown } else { part }).collect::<Vec<_>>().join("/")
}

async fn call(app: &crate::helpers::TestApp, route: &Route, token: Option<&str>) -> StatusCode {
    let mut request = app
        .http
        .request(route.method.clone(), format!("{}{}", app.base, concrete(&route.path)))
        .header("content-type", "application/json")
        .body("{}");
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("request").status()
}

#[tokio::test]
async fn the_router_has_console_routes_and_public_ones_to_check() {
    let routes = every_route();
    assert!(routes.iter().filter(|route| route.console).count() >= 10, "the console routes are not in the router");
    assert!(routes.iter().any(|route| route.path == "/api/v1/sessions" && route.public));
    assert!(routes.iter().any(|route| route.path == "/api/v1/live" && !route.public));
}

#[tokio::test]
async fn every_route_refuses_a_missing_session_unless_it_is_public() {
    let app = spawn_app().await;
    for route in every_route().iter().filter(|route| !route.public) {
        let status = call(&app, route, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{} {} without a session", route.method, route.path);
    }
    app.cleanup().await;
}

#[tokio::test]
async fn every_console_route_refuses_a_manager_and_admits_the_concierge() {
    let app = spawn_app().await;
    let manager = app.sign_in(Role::Manager, "Mia").await;
    let concierge = app.sign_in(Role::Concierge, "Cleo").await;
    for route in every_route().iter().filter(|route| route.console) {
        let status = call(&app, route, Some(&manager)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{} {} with a manager's session", route.method, route.path);
        let status = call(&app, route, Some(&concierge)).await;
        assert!(
            ![StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN, StatusCode::METHOD_NOT_ALLOWED].contains(&status)
                && !status.is_server_error(),
            "{} {} with the concierge's session answered {status}",
            route.method,
            route.path
        );
    }
    app.cleanup().await;
}

#[tokio::test]
async fn member_routes_admit_a_manager() {
    let app = spawn_app().await;
    let manager = app.sign_in(Role::Manager, "Mia").await;
    for route in every_route().iter().filter(|route| !route.console && !route.public && route.path != "/api/v1/live") {
        let status = call(&app, route, Some(&manager)).await;
        assert!(
            ![StatusCode::UNAUTHORIZED, StatusCode::FORBIDDEN, StatusCode::METHOD_NOT_ALLOWED].contains(&status)
                && !status.is_server_error(),
            "{} {} with a manager's session answered {status}",
            route.method,
            route.path
        );
    }
    app.cleanup().await;
}
