//! What kind of failure an error is, and so which exit code it gets.
//!
//! Errors travel as [`anyhow::Error`]. Bad input (a scenario, a flag, a file or an image the
//! user gave) is an [`InputError`] somewhere in the chain and exits with 2; anything else
//! (a full disk, a bug) exits with 1.

use bonesim_scenario::InputError;

/// An [`anyhow::Error`] holding an [`InputError`] with `message`.
pub fn input(message: impl Into<String>) -> anyhow::Error {
    bonesim_scenario::input(message).into()
}

/// 2 for bad input, 1 for anything else.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    if err.chain().any(|e| e.is::<InputError>()) { 2 } else { 1 }
}

/// Whether the error is stdout closed early (`bonesim params | head`): not a failure.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().filter_map(|e| e.downcast_ref::<std::io::Error>()).any(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn input_errors_exit_2_even_with_context() {
        let err = Err::<(), _>(input("bad")).context("while loading").unwrap_err();
        assert_eq!(exit_code(&err), 2);
        assert_eq!(exit_code(&anyhow::anyhow!("disk full")), 1);
    }
}
