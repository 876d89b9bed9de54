//! Path segments as typed values.

use crate::error::ApiError;

/// A path id: a positive integer, else 404 like any unknown thing.
pub fn path_id(raw: &str) -> Result<i64, ApiError> {
    match raw.parse::<i64>() {
        Ok(id) if id > 0 && !raw.starts_with('+') => Ok(id),
        _ => Err(ApiError::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_ids_are_positive_integers() {
        assert_eq!(path_id("42"), Ok(42));
        for bad in ["0", "-1", "abc", "+3", "1.5", "99999999999999999999"] {
            assert_eq!(path_id(bad), Err(ApiError::NotFound), "{bad}");
        }
    }
}
