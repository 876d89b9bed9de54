//! Accounts' secrets: password hashing, session tokens, and the extractors
//! that say who is calling.

mod extract;
mod password;
mod token;

pub use extract::{ActiveUser, Admin, CurrentUser, MaybeUser, Staff};
pub use password::Hasher;
pub use token::{hash_token, new_token};
