//! Worker threads for the stages that split their work across cores (reading path items,
//! emitting and printing chunks of a file).

use std::thread::{Scope, ScopedJoinHandle};

/// The main thread's usual 8 MiB rather than a spawned thread's 2 MiB: serde, syn and
/// prettyplease recurse once per level of a deeply nested schema or type.
const STACK: usize = 8 << 20;

/// Starts `work` on a thread of `scope`.
pub fn spawn<'scope, T: Send + 'scope>(
    scope: &'scope Scope<'scope, '_>,
    work: impl FnOnce() -> T + Send + 'scope,
) -> Result<ScopedJoinHandle<'scope, T>, String> {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn_scoped(scope, work)
        .map_err(|error| format!("cannot start a worker thread: {error}"))
}

/// The result of a worker. A panicking worker is a generator bug: it surfaces as the panic it is.
pub fn join<T>(handle: ScopedJoinHandle<'_, T>) -> T {
    handle.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

/// How many workers `items` justify, at least `per_worker` items each, at most one per core.
pub fn workers(items: usize, per_worker: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    cores.min(items / per_worker.max(1)).max(1)
}
