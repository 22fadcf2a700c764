//! Behaviour of the store, each test written once and run on SQLite and on PostgreSQL.

mod common;

mod asks;
mod audio;
mod audit;
mod connect;
mod console_people;
mod invites;
mod jobs;
mod members;
mod network;
mod sessions;
mod steering;
