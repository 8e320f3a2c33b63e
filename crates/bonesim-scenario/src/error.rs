//! The one error of scenario loading: bad input, in words.

use std::fmt;

/// Bad input: the message says what is wrong, where (file, line and column, or the `--set`
/// argument), which key, and what is allowed. Front ends show it as it is and exit with 2.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError(pub String);

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for InputError {}

/// An [`InputError`] with `message`.
pub fn input(message: impl Into<String>) -> InputError {
    InputError(message.into())
}
