//! Argon2id on a bounded set of blocking threads: a login storm waits its
//! turn instead of taking every core from the readers.

use crate::config::AuthConfig;
use crate::error::ApiError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Params, PasswordHasher, PasswordVerifier, Version};
use std::sync::Arc;
use tokio::sync::Semaphore;

#[derive(Clone)]
pub struct Hasher {
    params: Params,
    permits: Arc<Semaphore>,
    /// Verified against when the account does not exist, so both answers take as long.
    dummy_hash: Arc<String>,
}

impl Hasher {
    pub fn new(config: &AuthConfig) -> Result<Hasher, String> {
        let params = Params::new(
            config.argon2_memory_kib,
            config.argon2_iterations,
            config.argon2_parallelism,
            None,
        )
        .map_err(|e| format!("argon2 parameters: {e}"))?;
        let threads = match config.hashing_threads {
            0 => std::thread::available_parallelism().map_or(2, |n| n.get()),
            n => n,
        };
        let dummy_hash = hash_with(&params, "tribune dummy password for timing")
            .map_err(|e| format!("argon2: {e}"))?;
        Ok(Hasher {
            params,
            permits: Arc::new(Semaphore::new(threads)),
            dummy_hash: Arc::new(dummy_hash),
        })
    }

    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        let params = self.params.clone();
        self.run(move || hash_with(&params, &password).map_err(ApiError::internal))
            .await
    }

    /// Checks a password against a stored hash, or against the dummy hash when
    /// there is no account, so that the time taken does not say which.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, ApiError> {
        let exists = stored.is_some();
        let stored = stored.unwrap_or_else(|| self.dummy_hash.as_ref().clone());
        let ok = self
            .run(move || Ok(verify_with(&password, &stored)))
            .await?;
        Ok(exists && ok)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|_| ApiError::internal("hashing pool closed"))?;
        actix_web::web::block(work)
            .await
            .map_err(|e| ApiError::internal(format!("hashing task failed: {e}")))?
    }

    /// Hashes synchronously (command line).
    pub fn hash_now(&self, password: &str) -> Result<String, String> {
        hash_with(&self.params, password)
    }
}

fn argon2(params: &Params) -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
}

fn hash_with(params: &Params, password: &str) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    argon2(params)
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// The parameters stored in the hash are used, so raising them later keeps old hashes valid.
fn verify_with(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn light() -> AuthConfig {
        AuthConfig {
            token_lifetime_days: 1,
            argon2_memory_kib: 64,
            argon2_iterations: 1,
            argon2_parallelism: 1,
            hashing_threads: 1,
        }
    }

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let hasher = Hasher::new(&light()).unwrap();
        let hash = hasher.hash_now("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_with("correct horse battery", &hash));
        assert!(!verify_with("wrong horse battery", &hash));
        assert!(!verify_with("anything", "!"));
    }
}
