//! Argon2id on a fixed set of hashing threads, each owning its working memory.
//!
//! A hash needs `argon2_memory_kib` of memory. Allocated per hash on whichever
//! thread runs it, that memory stays behind in the allocator's per-thread
//! arenas, so a login flood grew the process by one block per thread that ever
//! hashed. Here `auth.hashing_threads` threads each keep one block and reuse it
//! for every hash, and give it back after a quiet spell: the memory Argon2
//! holds is at most `hashing_threads × argon2_memory_kib`, whatever the login
//! rate. A login storm waits its turn instead of taking every core from readers.

use crate::config::AuthConfig;
use crate::domain::Failure;
use argon2::password_hash::{rand_core::OsRng, Output, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{oneshot, Semaphore};

/// A hashing thread gives its memory back after this long without work, so a
/// burst of logins does not keep the process large until the next one.
const IDLE_RELEASE: Duration = Duration::from_secs(5);

#[derive(Clone)]
pub struct Hasher {
    params: Params,
    /// One per hashing thread: callers wait here (asynchronously, in order),
    /// so the channel in front of the threads never holds more than that.
    permits: Arc<Semaphore>,
    jobs: Sender<Job>,
    /// Verified against when the account does not exist, so both answers take as long.
    dummy_hash: Arc<String>,
    /// Times a hashing thread allocated working memory (for `/metrics` and tests).
    allocations: Arc<AtomicUsize>,
}

enum Work {
    Hash(String),
    Verify { password: String, stored: String },
}

enum Done {
    Hashed(String),
    Verified(bool),
}

struct Job {
    work: Work,
    reply: oneshot::Sender<Result<Done, String>>,
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
        let allocations = Arc::new(AtomicUsize::new(0));
        let (jobs, queue) = crossbeam_channel::unbounded::<Job>();
        for n in 0..threads {
            let worker = Worker {
                params: params.clone(),
                blocks: Vec::new(),
                allocations: allocations.clone(),
            };
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("tribune-hash-{n}"))
                .spawn(move || worker.run(&queue))
                .map_err(|e| format!("hashing thread: {e}"))?;
        }
        // Computed here, not on the threads: it is the one hash of its kind.
        let dummy_hash = hash_with(
            &params,
            "tribune dummy password for timing",
            &mut Vec::new(),
        )?;
        Ok(Hasher {
            params,
            permits: Arc::new(Semaphore::new(threads)),
            jobs,
            dummy_hash: Arc::new(dummy_hash),
            allocations,
        })
    }

    pub async fn hash(&self, password: String) -> Result<String, Failure> {
        match self.run(Work::Hash(password)).await? {
            Done::Hashed(hash) => Ok(hash),
            Done::Verified(_) => Err(Failure::new("the hasher answered a verification")),
        }
    }

    /// Checks a password against a stored hash, or against the dummy hash when
    /// there is no account, so that the time taken does not say which.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, Failure> {
        let exists = stored.is_some();
        let stored = stored.unwrap_or_else(|| self.dummy_hash.as_ref().clone());
        match self.run(Work::Verify { password, stored }).await? {
            Done::Verified(ok) => Ok(exists && ok),
            Done::Hashed(_) => Err(Failure::new("the hasher answered a hash")),
        }
    }

    async fn run(&self, work: Work) -> Result<Done, Failure> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| Failure::caused("the hashing pool closed", e))?;
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { work, reply })
            .map_err(|_| Failure::new("the hashing threads stopped"))?;
        answer
            .await
            .map_err(|e| Failure::caused("a hashing thread stopped", e))?
            .map_err(|e| Failure::new(format!("hashing: {e}")))
    }

    /// Hashes synchronously (command line).
    pub fn hash_now(&self, password: &str) -> Result<String, String> {
        hash_with(&self.params, password, &mut Vec::new())
    }

    /// Times a hashing thread allocated its working memory since the start.
    pub fn allocations(&self) -> usize {
        self.allocations.load(Ordering::Relaxed)
    }
}

/// One hashing thread and the memory it reuses.
struct Worker {
    params: Params,
    blocks: Vec<Block>,
    allocations: Arc<AtomicUsize>,
}

impl Worker {
    fn run(mut self, queue: &Receiver<Job>) {
        loop {
            let next = if self.blocks.is_empty() {
                queue.recv().map_err(|_| RecvTimeoutError::Disconnected)
            } else {
                queue.recv_timeout(IDLE_RELEASE)
            };
            match next {
                Ok(job) => {
                    let done = self.work(job.work);
                    // The caller may have gone (client disconnected): nothing to tell.
                    let _ = job.reply.send(done);
                }
                Err(RecvTimeoutError::Timeout) => self.blocks = Vec::new(),
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
    }

    fn work(&mut self, work: Work) -> Result<Done, String> {
        let before = self.blocks.capacity();
        let done = match work {
            Work::Hash(password) => {
                hash_with(&self.params, &password, &mut self.blocks).map(Done::Hashed)
            }
            Work::Verify { password, stored } => Ok(Done::Verified(verify_with(
                &password,
                &stored,
                &mut self.blocks,
            ))),
        };
        if self.blocks.capacity() != before {
            self.allocations.fetch_add(1, Ordering::Relaxed);
        }
        done
    }
}

/// `blocks` grown to what `params` needs; it is only ever grown, never shrunk.
fn memory_for<'a>(params: &Params, blocks: &'a mut Vec<Block>) -> &'a mut [Block] {
    let needed = params.block_count();
    if blocks.len() < needed {
        // A burst starts: what other work left free goes back first, so the
        // process grows by the working memory alone.
        crate::alloc::give_back_free_memory();
        blocks.resize(needed, Block::default());
    }
    &mut blocks[..needed]
}

fn hash_with(params: &Params, password: &str, blocks: &mut Vec<Block>) -> Result<String, String> {
    let salt = SaltString::generate(&mut OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|e| e.to_string())?;
    let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        argon2
            .hash_password_into_with_memory(
                password.as_bytes(),
                salt_bytes,
                out,
                memory_for(params, blocks),
            )
            .map_err(|_| argon2::password_hash::Error::Password)
    })
    .map_err(|e| e.to_string())?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: params.try_into().map_err(|e| format!("{e}"))?,
        salt: Some(salt.as_salt()),
        hash: Some(output),
    };
    Ok(hash.to_string())
}

/// The parameters stored in the hash are used, so raising them later keeps
/// old hashes valid. The comparison of outputs is constant-time.
fn verify_with(password: &str, stored: &str, blocks: &mut Vec<Block>) -> bool {
    let Ok(parsed) = PasswordHash::new(stored) else {
        return false;
    };
    let (Ok(algorithm), Ok(params), Some(salt), Some(expected)) = (
        Algorithm::try_from(parsed.algorithm),
        Params::try_from(&parsed),
        parsed.salt,
        parsed.hash,
    ) else {
        return false;
    };
    let version = match parsed.version.map(Version::try_from) {
        None => Version::default(),
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let argon2 = Argon2::new(algorithm, version, params.clone());
    let computed = Output::init_with(expected.len(), |out| {
        argon2
            .hash_password_into_with_memory(
                password.as_bytes(),
                salt_bytes,
                out,
                memory_for(&params, blocks),
            )
            .map_err(|_| argon2::password_hash::Error::Password)
    });
    matches!(computed, Ok(computed) if computed == expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::{PasswordHasher, PasswordVerifier};

    fn light(threads: usize) -> AuthConfig {
        AuthConfig {
            token_lifetime_days: 1,
            argon2_memory_kib: 64,
            argon2_iterations: 1,
            argon2_parallelism: 1,
            hashing_threads: threads,
        }
    }

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let hasher = Hasher::new(&light(1)).unwrap();
        let hash = hasher.hash_now("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=64,t=1,p=1$"));
        let mut blocks = Vec::new();
        assert!(verify_with("correct horse battery", &hash, &mut blocks));
        assert!(!verify_with("wrong horse battery", &hash, &mut blocks));
        assert!(!verify_with("anything", "!", &mut blocks));
    }

    /// The hashes are the library's own: each verifies the other's.
    #[test]
    fn hashes_agree_with_the_argon2_crate_both_ways() {
        let params = Params::new(64, 1, 1, None).unwrap();
        let ours = hash_with(&params, "mot de passe", &mut Vec::new()).unwrap();
        let parsed = PasswordHash::new(&ours).unwrap();
        assert!(Argon2::default()
            .verify_password(b"mot de passe", &parsed)
            .is_ok());
        // Theirs, made with other parameters than the hasher's: still verified.
        let salt = SaltString::generate(&mut OsRng);
        let theirs = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(128, 2, 1, None).unwrap(),
        )
        .hash_password(b"kalima sirr", &salt)
        .unwrap()
        .to_string();
        let mut blocks = Vec::new();
        assert!(verify_with("kalima sirr", &theirs, &mut blocks));
        assert!(!verify_with("kalima sir", &theirs, &mut blocks));
        assert_eq!(
            blocks.len(),
            128,
            "memory grows to what the stored hash needs"
        );
    }

    #[actix_web::test]
    async fn many_tasks_hash_on_the_fixed_threads_and_reuse_their_memory() {
        let hasher = Hasher::new(&light(2)).unwrap();
        let tasks: Vec<_> = (0..40)
            .map(|i| {
                let hasher = hasher.clone();
                actix_web::rt::spawn(async move {
                    let password = format!("mot de passe {i}");
                    let hash = hasher.hash(password.clone()).await.unwrap();
                    let right = hasher.verify(password, Some(hash.clone())).await.unwrap();
                    let wrong = hasher.verify("autre".into(), Some(hash)).await.unwrap();
                    (right, wrong)
                })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.unwrap(), (true, false));
        }
        // 120 hashes on two threads: each allocated its memory once.
        assert!(
            (1..=2).contains(&hasher.allocations()),
            "{} allocations",
            hasher.allocations()
        );
    }

    #[actix_web::test]
    async fn an_unknown_account_is_never_verified() {
        let hasher = Hasher::new(&light(1)).unwrap();
        assert!(!hasher
            .verify("tribune dummy password for timing".into(), None)
            .await
            .unwrap());
        assert!(!hasher.verify("x".into(), None).await.unwrap());
    }
}
