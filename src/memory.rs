//! Memory between stages. glibc keeps the blocks freed by the per-file tables in its heaps
//! instead of handing them back, so a city's table read, filtered and dropped would count twice
//! in the process's memory; [`release`] returns the free pages to the system. [`trace`] shows
//! the resident and peak memory after each stage, the profile of bench/RESULTS.md.
//!
//! Between those hand-backs glibc should keep what it is given: by default it maps every block
//! above a threshold that moves with use on its own, unmaps it when freed, and trims the top of
//! its heap after each large free, so the next column of the same size is fresh memory the
//! kernel must zero again (page faults are a tenth of a city's run). [`keep_freed_blocks`]
//! fixes both limits once, before anything is allocated; the hand-backs at the stages' ends
//! stay.

/// Blocks below this size come from glibc's heaps, where a freed one is reused without the
/// kernel (glibc's largest mapping threshold on 64 bits).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const HEAP_BLOCKS_BELOW: libc::c_int = 32 * 1024 * 1024;

/// Free memory at the top of a heap is handed back only by [`release`], or past this much.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_TOP_ABOVE: libc::c_int = 1024 * 1024 * 1024;

/// Makes glibc keep freed blocks for reuse until [`release`] (Linux with glibc; elsewhere
/// nothing). Called first thing in `main`.
pub fn keep_freed_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets the allocator's thresholds; it touches no allocation.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, HEAP_BLOCKS_BELOW);
        libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_TOP_ABOVE);
    }
}

/// Hands the allocator's free pages back to the system (Linux with glibc; elsewhere nothing).
pub fn release() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory; it touches no live allocation.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Lets `value` go on a thread of its own, then hands the free pages back ([`release`]): a
/// city's tables take a fifth of a second of one core to free, which the stages after them need
/// not wait for. Should the process end first, the system takes the memory back at once.
pub fn release_in_background<T: Send + 'static>(value: T) {
    let spawned = std::thread::Builder::new().spawn(move || {
        drop(value);
        release();
    });
    // No thread to be had: the value went with the closure, here.
    if spawned.is_err() {
        release();
    }
}

/// With `CCHC_TRACE_MEMORY` set, prints the resident and peak memory after a stage, the time
/// since the first stage traced, and the CPU time the process has used so far (Linux).
pub fn trace(stage: &str) {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    if std::env::var_os("CCHC_TRACE_MEMORY").is_none() {
        return;
    }
    let elapsed = START.get_or_init(std::time::Instant::now).elapsed();
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .map(|l| l[name.len()..].trim().to_string())
            .unwrap_or_default()
    };
    let (cpu, faults) = cpu_seconds_and_faults();
    eprintln!(
        "[bộ nhớ] {:>7.3} s (CPU {:>7.3} s, {faults} lỗi trang) {stage}: đang dùng {}, đỉnh {}",
        elapsed.as_secs_f64(),
        cpu,
        field("VmRSS:"),
        field("VmHWM:")
    );
}

/// User and system CPU time of the whole process so far, every thread together, and the page
/// faults it took (fresh memory touched: the system time of a run).
fn cpu_seconds_and_faults() -> (f64, i64) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
        // SAFETY: getrusage writes the struct it is given and nothing else.
        if unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) } == 0 {
            // SAFETY: initialised by the successful call above.
            let u = unsafe { usage.assume_init() };
            let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
            return (secs(u.ru_utime) + secs(u.ru_stime), u.ru_minflt);
        }
    }
    (0.0, 0)
}
