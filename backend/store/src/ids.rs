//! Newtype ids: random UUID v4 strings in the database, distinct types in Rust so a member id
//! can never be passed where an ask id is expected.
//!
//! Ids from outside (URL paths, WebSocket messages) must parse as a UUID. That keeps the
//! lookup honest and matters for `RecordingId`, which names a file on disk: a parsed id can
//! never contain `/` or `..`.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

/// Text that is not a valid id (ids are UUIDs).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid id: {0:?}")]
pub struct InvalidId(pub String);

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(Uuid);

        impl $name {
            pub(crate) fn random() -> Self {
                Self(Uuid::new_v4())
            }

            /// The id as stored: lowercase hyphenated UUID.
            pub fn to_db(self) -> String {
                self.0.hyphenated().to_string()
            }

            /// Reads an id back from a row; a malformed one means the table was tampered with.
            #[allow(dead_code)] // not every id is read back from a row
            pub(crate) fn from_db(text: &str) -> Result<Self, crate::StoreError> {
                text.parse().map_err(|_| {
                    crate::StoreError::Corrupt(format!(concat!("malformed ", stringify!($name), " {:?}"), text))
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;

            fn from_str(text: &str) -> Result<Self, InvalidId> {
                Uuid::try_parse(text).map(Self).map_err(|_| InvalidId(text.to_owned()))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0.hyphenated(), f)
            }
        }
    };
}

id_type!(
    /// A member of the network (manager or concierge).
    MemberId
);
id_type!(
    /// An invitation; distinct from its secret code, which is never stored.
    InviteId
);
id_type!(
    /// A problem asked by a member.
    AskId
);
id_type!(
    /// A live dictation and its audio file.
    RecordingId
);
id_type!(
    /// A unit of background work in the job queue.
    JobId
);
id_type!(
    /// One browser's push subscription.
    SubscriptionId
);
id_type!(
    /// A peer's answer to an ask.
    AnswerId
);
id_type!(
    /// A recorded "contact directly".
    ContactId
);
id_type!(
    /// One entry of the concierge's audit log.
    AuditId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_round_trips_through_its_text() {
        let id = AskId::random();
        assert_eq!(id.to_string().parse::<AskId>(), Ok(id));
        assert_eq!(id.to_db(), id.to_string());
    }

    #[test]
    fn a_path_traversal_attempt_is_not_a_recording_id() {
        assert!("../../etc/passwd".parse::<RecordingId>().is_err());
    }

    #[test]
    fn random_ids_differ() {
        assert_ne!(MemberId::random(), MemberId::random());
    }
}
