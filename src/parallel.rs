//! Work over many items (files, stored sources, periods) on a fixed set of threads, and over a
//! few (a period's documents) on a thread each, below the pools' priority.
//!
//! Why not rayon's `par_iter` here: each item calls polars, which runs on a thread pool of its
//! own. A rayon worker that waits for another pool does not sleep — it takes another item of its
//! own pool while it waits, which calls polars and waits again, one stack frame deeper each time.
//! With a thousand files (or a few hundred periods) the stack overflowed and the process
//! aborted. Here each thread takes the next item only when it is done with the last, so the
//! stack depth does not grow with the number of items.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

/// A worker's stack: as the main thread's, for polars' query planning in debug builds.
const STACK: usize = 8 * 1024 * 1024;

/// `f` over every item, on as many threads as rayon would use, results in item order. Stops
/// taking items after the first error (the items not taken give no result) and returns it.
pub fn try_map<T, R, E, F>(items: Vec<T>, f: F) -> Result<Vec<R>, E>
where
    T: Send,
    R: Send,
    E: Send,
    F: Fn(T) -> Result<R, E> + Sync,
{
    on_threads(items, rayon::current_num_threads(), || {}, f)
}

/// [`try_map`] with a thread for every item: for a few items of which some are one thread's
/// work from start to end and others share rayon's pool (a period's documents), the system then
/// gives the cores to whichever has work, where the pool would leave one idle behind its last
/// long job. These threads run below the pools' priority: what an item does on its own thread
/// waits while the pools' threads have work, and takes a core whenever they leave one idle — a
/// city's long lists, laid out and written side by side in the pool, are the longest work of
/// its documents, and the data-quality workbook, written on its own thread, then fills the time
/// the pool would leave a core idle behind them.
pub fn each_on_own_thread<T, R, E, F>(items: Vec<T>, f: F) -> Result<Vec<R>, E>
where
    T: Send,
    R: Send,
    E: Send,
    F: Fn(T) -> Result<R, E> + Sync,
{
    let n = items.len();
    on_threads(items, n, below_the_pools, f)
}

/// How far below the process's priority [`each_on_own_thread`]'s threads run (nice steps).
const BELOW_THE_POOLS: i32 = 10;

/// Lowers the calling thread's priority by [`BELOW_THE_POOLS`] (Linux, where each thread has a
/// priority of its own; elsewhere nothing). A failure changes only the timing: ignored.
fn below_the_pools() {
    #[cfg(target_os = "linux")]
    // SAFETY: getpriority and setpriority read and set the calling thread's nice value (its
    // id from gettid); no memory is touched.
    unsafe {
        let tid = libc::gettid() as libc::id_t;
        let now = libc::getpriority(libc::PRIO_PROCESS, tid);
        libc::setpriority(libc::PRIO_PROCESS, tid, (now + BELOW_THE_POOLS).min(19));
    }
}

/// `f` over every item on at most `threads` threads, each calling `start` first and taking the
/// next item when done with the last; results in item order, the first error in item order
/// returned.
fn on_threads<T, R, E, F>(items: Vec<T>, threads: usize, start: fn(), f: F) -> Result<Vec<R>, E>
where
    T: Send,
    R: Send,
    E: Send,
    F: Fn(T) -> Result<R, E> + Sync,
{
    let n = items.len();
    let threads = threads.clamp(1, n.max(1));
    if threads <= 1 {
        return items.into_iter().map(f).collect();
    }
    let queue = Mutex::new(items.into_iter().enumerate());
    let next = || queue.lock().unwrap_or_else(|e| e.into_inner()).next();
    let failed = AtomicBool::new(false);
    let mut spawned = 0;
    let results: Mutex<Vec<(usize, Result<R, E>)>> = Mutex::new(Vec::with_capacity(n));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let started = std::thread::Builder::new()
                .stack_size(STACK)
                .spawn_scoped(scope, || {
                    start();
                    while !failed.load(Ordering::Relaxed) {
                        let Some((i, item)) = next() else { break };
                        let r = f(item);
                        if r.is_err() {
                            failed.store(true, Ordering::Relaxed);
                        }
                        results
                            .lock()
                            .unwrap_or_else(|e| e.into_inner())
                            .push((i, r));
                    }
                });
            if started.is_err() {
                // No more threads to be had: those started take the rest.
                break;
            }
            spawned += 1;
        }
    });
    let mut results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    // Not one thread could be started: the work is done here.
    if spawned == 0 {
        let rest: Vec<(usize, T)> = queue
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .collect();
        for (i, item) in rest {
            results.push((i, f(item)));
        }
    }
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_on_own_thread_keeps_item_order_and_returns_the_first_error() {
        let names = ["a", "b", "c"].map(String::from).to_vec();
        let upper: Result<Vec<String>, ()> = each_on_own_thread(names, |n| Ok(n.to_uppercase()));
        assert_eq!(upper.unwrap(), ["A", "B", "C"]);
        // Item 2 fails at once, item 1 after it: the error of item 1 comes first in item order.
        let failed: Result<Vec<u64>, String> = each_on_own_thread(vec![0u64, 1, 2], |i| {
            if i == 1 {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            if i > 0 {
                Err(format!("hỏng {i}"))
            } else {
                Ok(i)
            }
        });
        assert_eq!(failed.unwrap_err(), "hỏng 1");
    }

    /// The nice value of the calling thread.
    #[cfg(target_os = "linux")]
    fn nice() -> i32 {
        // SAFETY: reads the calling thread's nice value; no memory is touched.
        unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn each_item_on_its_own_thread_runs_below_the_callers_priority_and_the_caller_keeps_its_own() {
        let here = nice();
        let there: Result<Vec<i32>, ()> = each_on_own_thread(vec![(), ()], |_| Ok(nice()));
        let below = (here + BELOW_THE_POOLS).min(19);
        assert_eq!(there.unwrap(), [below, below]);
        assert_eq!(nice(), here);
        // try_map's threads read the files: they keep the caller's priority.
        let readers: Result<Vec<i32>, ()> = try_map(vec![(), ()], |_| Ok(nice()));
        assert!(readers.unwrap().iter().all(|n| *n == here));
    }

    #[test]
    fn keeps_item_order_and_stops_at_an_error() {
        let squares: Result<Vec<u64>, ()> = try_map((0..1000u64).collect(), |i| Ok(i * i));
        assert_eq!(
            squares.unwrap(),
            (0..1000u64).map(|i| i * i).collect::<Vec<_>>()
        );
        let failed: Result<Vec<u64>, String> = try_map((0..100u64).collect(), |i| {
            if i == 7 {
                Err(format!("hỏng {i}"))
            } else {
                Ok(i)
            }
        });
        assert_eq!(failed.unwrap_err(), "hỏng 7");
    }
}
