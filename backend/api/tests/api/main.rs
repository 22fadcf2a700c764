//! The API over real HTTP and WebSockets: the app on port 0, a fresh database per test.

mod engines;
mod helpers;
mod postgres;

mod asks;
mod authorization;
mod busy;
mod console_ask;
mod console_people;
mod live;
mod network;
mod on_postgres;
mod sessions;
mod system;
