//! Closed sets of values (roles, statuses, purposes) stored as short lowercase text, which
//! reads well in SQL, is portable, and is guarded by a CHECK constraint in the schema.

/// Declares an enum stored as text: `as_str` for binding, `from_db` for reading back (an
/// unknown value is corruption, not user error), `FromStr` for CLI and API input, and serde.
macro_rules! text_enum {
    (
        $(#[$doc:meta])*
        $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            #[allow(dead_code)] // not every enum is read back from a row
            pub(crate) fn from_db(text: &str) -> Result<Self, $crate::StoreError> {
                text.parse().map_err(|_| {
                    $crate::StoreError::Corrupt(format!(concat!("unknown ", stringify!($name), " {:?}"), text))
                })
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;

            fn from_str(text: &str) -> Result<Self, String> {
                match text {
                    $($text => Ok($name::$variant),)+
                    other => Err(format!(
                        concat!("{:?} is not a valid ", stringify!($name), " (expected one of: {})"),
                        other,
                        [$($text),+].join(", ")
                    )),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use text_enum;

#[cfg(test)]
mod tests {
    use crate::{AskStatus, JobStatus, QueueState, RecordingPurpose, RecordingStatus, Role};

    #[test]
    fn every_label_parses_back_to_itself() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().as_ref(), Ok(role));
        }
        for status in AskStatus::ALL {
            assert_eq!(status.as_str().parse::<AskStatus>().as_ref(), Ok(status));
        }
        for status in JobStatus::ALL {
            assert_eq!(status.as_str().parse::<JobStatus>().as_ref(), Ok(status));
        }
        for purpose in RecordingPurpose::ALL {
            assert_eq!(purpose.as_str().parse::<RecordingPurpose>().as_ref(), Ok(purpose));
        }
        for status in RecordingStatus::ALL {
            assert_eq!(status.as_str().parse::<RecordingStatus>().as_ref(), Ok(status));
        }
        for state in QueueState::ALL {
            assert_eq!(state.as_str().parse::<QueueState>().as_ref(), Ok(state));
        }
    }

    #[test]
    fn an_unknown_role_is_rejected_with_the_valid_choices() {
        let error = "admin".parse::<Role>().unwrap_err();
        assert!(error.contains("manager, concierge"), "{error}");
    }

    #[test]
    fn a_role_serializes_as_its_lowercase_label() {
        assert_eq!(serde_json::to_string(&Role::Concierge).unwrap(), "\"concierge\"");
    }
}
