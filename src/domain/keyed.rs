//! Enums stored by a stable English key and shown by a Chinese label.

/// Declares an enum with `ALL`, `label()` (Chinese, for people), `key()` (stable, for
/// records and files) and `from_key()`.
macro_rules! keyed_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $key:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $key)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The Chinese label shown to users.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// The stable key stored in records and files.
            pub fn key(self) -> &'static str {
                match self { $($name::$variant => $key,)+ }
            }

            pub fn from_key(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.key() == s)
            }
        }
    };
}
pub(crate) use keyed_enum;
