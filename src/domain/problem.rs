//! What is wrong with an input, field by field. The edge renders these as a
//! 422 in the caller's language; here they are plain data.

/// A value passed to a localized message.
#[derive(Debug, Clone, PartialEq)]
pub enum MsgArg {
    Num(i64),
    Str(String),
}

/// One problem with one field of a request: the field's name, the message
/// key (see the locale files) and its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub field: String,
    pub key: &'static str,
    pub args: Vec<(&'static str, MsgArg)>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, key: &'static str) -> FieldError {
        FieldError {
            field: field.into(),
            key,
            args: Vec::new(),
        }
    }

    pub fn with(mut self, name: &'static str, value: MsgArg) -> FieldError {
        self.args.push((name, value));
        self
    }

    pub fn too_short(field: &str, min: usize) -> FieldError {
        FieldError::new(field, "validation-too-short").with("min", MsgArg::Num(min as i64))
    }

    pub fn too_long(field: &str, max: usize) -> FieldError {
        FieldError::new(field, "validation-too-long").with("max", MsgArg::Num(max as i64))
    }

    pub fn invalid_choice(field: &str, choices: String) -> FieldError {
        FieldError::new(field, "validation-invalid-choice").with("choices", MsgArg::Str(choices))
    }

    pub fn out_of_range(field: &str, min: i64, max: i64) -> FieldError {
        FieldError::new(field, "validation-out-of-range")
            .with("min", MsgArg::Num(min))
            .with("max", MsgArg::Num(max))
    }
}

/// Every problem of one input, so that one answer lists them all.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid(pub Vec<FieldError>);

impl From<FieldError> for Invalid {
    fn from(problem: FieldError) -> Invalid {
        Invalid(vec![problem])
    }
}

/// Collects the problems of several fields while a request body is parsed.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn new() -> Problems {
        Problems::default()
    }

    /// Keeps the value when valid, remembers the problem otherwise.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    /// Like `check`, for an optional field: absent stays absent.
    pub fn check_some<T, R>(
        &mut self,
        raw: Option<R>,
        parse: impl FnOnce(R) -> Result<T, FieldError>,
    ) -> Option<T> {
        raw.and_then(|r| self.check(parse(r)))
    }

    pub fn push(&mut self, e: FieldError) {
        self.0.push(e);
    }

    pub fn finish(self) -> Result<(), Invalid> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(Invalid(self.0))
        }
    }

    /// Finishes, then builds the parsed value from the fields `check` kept.
    /// `build` gives `None` only if a field was left out without a problem
    /// being pushed for it (a bug): that is answered as a missing field, not
    /// a panic.
    pub fn finish_with<T>(self, build: impl FnOnce() -> Option<T>) -> Result<T, Invalid> {
        self.finish()?;
        build().ok_or_else(|| Invalid(vec![FieldError::new("body", "validation-required")]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finish_with_gives_every_problem_before_building() {
        let mut problems = Problems::new();
        let a: Option<i32> = problems.check(Err(FieldError::new("a", "validation-required")));
        let b = problems.check(Err::<i32, _>(FieldError::new("b", "validation-too-long")));
        let result = problems.finish_with(|| Some((a?, b?)));
        let Invalid(found) = result.expect_err("two problems");
        let fields: Vec<&str> = found.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["a", "b"]);
    }

    #[test]
    fn finish_with_builds_when_every_field_is_valid() {
        let mut problems = Problems::new();
        let a = problems.check(Ok::<_, FieldError>(1));
        assert_eq!(problems.finish_with(|| Some(a? + 1)).ok(), Some(2));
    }

    #[test]
    fn a_field_left_out_without_a_problem_is_an_error_not_a_panic() {
        let problems = Problems::new();
        let missing: Option<i32> = None;
        let Invalid(found) = problems.finish_with(|| missing).expect_err("missing");
        assert_eq!(found.len(), 1);
    }
}
