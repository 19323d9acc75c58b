//! One writer at a time: an exclusive lock on a lock file guards the store and each output
//! folder while a run writes them. A second run waits (saying so once on stderr) and gives up
//! after [`TIMEOUT`] with a Vietnamese error. The lock is the operating system's (`flock` /
//! `LockFileEx` through `std::fs::File::lock`): it is released when the run ends however it
//! ends, so a killed run never leaves a stale lock. The lock file itself stays in place (removing
//! it would let two runs lock two different files of one name).

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

/// How long a run waits for another one to finish writing.
pub const TIMEOUT: Duration = Duration::from_secs(10 * 60);

/// A held lock; dropping it releases it.
#[derive(Debug)]
pub struct Lock {
    _file: File,
    path: PathBuf,
}

impl Lock {
    /// The lock file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// Takes the exclusive lock on `path` (created if missing), waiting up to [`TIMEOUT`]. `waiting`
/// is printed once to stderr when another run holds it; `what` names the guarded thing in the
/// error after the timeout («kho dữ liệu store/»).
pub fn acquire(path: &Path, waiting: &str, what: &str) -> Result<Lock> {
    acquire_within(path, waiting, what, TIMEOUT)
}

/// [`acquire`] with another timeout.
pub fn acquire_within(path: &Path, waiting: &str, what: &str, timeout: Duration) -> Result<Lock> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("không tạo được thư mục {}", dir.display()))?;
    }
    let file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .with_context(|| format!("không tạo được tệp khóa {}", path.display()))?;
    let start = Instant::now();
    let mut said = false;
    loop {
        match file.try_lock() {
            Ok(()) => {
                return Ok(Lock {
                    _file: file,
                    path: path.to_path_buf(),
                })
            }
            Err(TryLockError::WouldBlock) => {}
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("không khóa được {}", path.display()))
            }
        }
        if !said {
            let mut err = std::io::stderr().lock();
            let _ = writeln!(err, "{waiting}");
            said = true;
        }
        if start.elapsed() >= timeout {
            bail!(
                "đã chờ {} mà {what} vẫn đang được một lần chạy khác ghi; hãy chờ lần chạy đó xong (hoặc dừng nó) rồi chạy lại",
                wait_text(timeout)
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn wait_text(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 && s.is_multiple_of(60) {
        format!("{} phút", s / 60)
    } else {
        format!("{} giây", d.as_secs_f64())
    }
}

/// A random hex id for the temporary files and folders of one run (or one store session).
pub fn run_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    h.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    format!("{:016x}", h.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_waits_then_gives_up_with_a_vietnamese_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(".cchc-lock");
        let held = acquire(&path, "chờ", "kho").unwrap();
        let err = acquire_within(&path, "chờ", "kho dữ liệu x", Duration::from_millis(200))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "đã chờ 0.2 giây mà kho dữ liệu x vẫn đang được một lần chạy khác ghi; hãy chờ lần chạy đó xong (hoặc dừng nó) rồi chạy lại"
        );
        assert_eq!(wait_text(TIMEOUT), "10 phút");
        drop(held);
        acquire_within(&path, "chờ", "kho", Duration::from_millis(200)).unwrap();
    }

    #[test]
    fn run_ids_differ() {
        assert_ne!(run_id(), run_id());
        assert_eq!(run_id().len(), 16);
    }
}
