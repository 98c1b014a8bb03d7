//! The budget of one template render: how long it may run and how much memory it may
//! hold, its output included (`templates:` in `rasci.yaml`).
//!
//! Tera has no fuel or cancellation hook, and a project's template can loop without
//! producing output or calling anything of ours (`{% for a in xs %}{% for b in xs %}`),
//! or double a string until the process aborts (`{% set s = s ~ s %}`). So the budget is
//! metered where every such loop must pass: the memory allocator. Each thread keeps a
//! `Meter` that is live only while [`Theme`](super::templates::Theme) renders; every
//! allocation on that thread counts its bytes and, now and then, the time. Going over the
//! budget trips the meter, and the next call Tera makes into rasci (escaping a value,
//! `range`) fails, which ends the render with an error naming the template. A render that
//! reaches none of those and goes on to twice its budget is stopped for good: its thread
//! is parked inside the allocator, never to run again, and [`contain_until`] (which every build
//! runs in, on a thread pool of its own) gives up on the whole build with the same error.
//! The parked thread holds at most twice the memory budget until the process ends.
//!
//! The meter only acts when the binary installs [`Guarded`] as its allocator; without it
//! (unit tests of the library) the escaping and `range` hooks still check the time.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The limits of one render, from `rasci.yaml`'s `templates:` section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    pub(crate) max_ms: u64,
    pub(crate) max_bytes: u64,
}

/// Why a render was stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    Time,
    Memory,
    /// A newer build took its place (a later save in `serve`).
    Cancelled,
}

impl Reason {
    fn code(self) -> u8 {
        match self {
            Reason::Time => 1,
            Reason::Memory => 2,
            Reason::Cancelled => 3,
        }
    }

    fn from_code(code: u8) -> Option<Reason> {
        match code {
            1 => Some(Reason::Time),
            2 => Some(Reason::Memory),
            3 => Some(Reason::Cancelled),
            _ => None,
        }
    }
}

/// How many bytes of a template's file name a trip keeps, to name it in the error.
const NAME_BYTES: usize = 192;

/// One thread's meter. Only `Cell`s with constant initial values, so the allocator can
/// use it without allocating.
struct Meter {
    /// Nesting of renders on this thread; the meter counts while it is above 0.
    depth: Cell<u32>,
    live: Cell<i64>,
    allocations: Cell<u32>,
    started: Cell<Option<Instant>>,
    max_ms: Cell<u64>,
    max_bytes: Cell<i64>,
    tripped: Cell<u8>,
    run: Cell<u64>,
    name: Cell<[u8; NAME_BYTES]>,
    name_len: Cell<usize>,
}

thread_local! {
    static METER: Meter = const {
        Meter {
            depth: Cell::new(0),
            live: Cell::new(0),
            allocations: Cell::new(0),
            started: Cell::new(None),
            max_ms: Cell::new(u64::MAX),
            max_bytes: Cell::new(i64::MAX),
            tripped: Cell::new(0),
            run: Cell::new(0),
            name: Cell::new([0; NAME_BYTES]),
            name_len: Cell::new(0),
        }
    };
}

/// The number of the latest build started by [`contain_until`].
static RUNS: AtomicU64 = AtomicU64::new(0);
/// Builds numbered up to this one are cancelled (see [`cancel_all`]).
static CANCELLED: AtomicU64 = AtomicU64::new(0);
/// The last build one of whose renders went over its budget: its other renders stop too,
/// since the build has failed.
static FAILED: AtomicU64 = AtomicU64::new(0);

/// A render over its budget: which build, why, and the file of its template.
#[derive(Clone, Copy)]
struct Parked {
    run: u64,
    reason: u8,
    max_ms: u64,
    max_bytes: i64,
    name: [u8; NAME_BYTES],
    name_len: usize,
}

/// Where the first render of a build to go over its budget leaves word for [`contain_until`],
/// one slot per recent build: a fixed array, since the allocator cannot allocate to
/// record it.
static PARKED: Mutex<[Option<Parked>; 16]> = Mutex::new([None; 16]);

/// Starts metering a render of the template read from `file` on this thread.
pub(crate) fn begin(file: &str, limits: Limits) {
    let _ = METER.try_with(|m| {
        let depth = m.depth.get();
        if depth == 0 {
            m.live.set(0);
            m.allocations.set(0);
            m.tripped.set(0);
            m.started.set(Some(Instant::now()));
            m.max_ms.set(limits.max_ms);
            m.max_bytes
                .set(i64::try_from(limits.max_bytes).unwrap_or(i64::MAX));
            let mut name = [0; NAME_BYTES];
            let mut len = file.len().min(NAME_BYTES);
            while !file.is_char_boundary(len) {
                len -= 1;
            }
            name[..len].copy_from_slice(&file.as_bytes()[..len]);
            m.name.set(name);
            m.name_len.set(len);
        }
        m.depth.set(depth + 1);
    });
}

/// Stops metering the render begun last; tells whether it went over its budget.
pub(crate) fn end() -> Option<Reason> {
    METER
        .try_with(|m| {
            let depth = m.depth.get().saturating_sub(1);
            m.depth.set(depth);
            let reason = Reason::from_code(m.tripped.get());
            if depth == 0 && reason.is_some() {
                record(m);
            }
            if depth == 0 {
                m.tripped.set(0);
                m.started.set(None);
            }
            reason
        })
        .ok()
        .flatten()
}

/// For Tera's calls into rasci: an error once the render on this thread is over its
/// budget, so the render ends there.
pub(crate) fn check() -> Result<(), Reason> {
    METER
        .try_with(|m| {
            if m.depth.get() == 0 {
                return Ok(());
            }
            if m.tripped.get() == 0 {
                measure(m, true);
            }
            Reason::from_code(m.tripped.get()).map_or(Ok(()), Err)
        })
        .unwrap_or(Ok(()))
}

/// Trips the meter when the render is over its budget; `timed` also reads the clock.
fn measure(m: &Meter, timed: bool) {
    let run = m.run.get();
    if run != 0
        && (run <= CANCELLED.load(Ordering::Relaxed) || run == FAILED.load(Ordering::Relaxed))
    {
        m.tripped.set(Reason::Cancelled.code());
    } else if m.live.get() > m.max_bytes.get() {
        m.tripped.set(Reason::Memory.code());
    } else if timed && elapsed_ms(m) > m.max_ms.get() {
        m.tripped.set(Reason::Time.code());
    }
}

fn elapsed_ms(m: &Meter) -> u64 {
    m.started.get().map_or(0, |t| {
        u64::try_from(t.elapsed().as_millis()).unwrap_or(u64::MAX)
    })
}

/// Counts `bytes` allocated (or, negative, freed) by the render on this thread.
fn charge(bytes: i64) {
    let _ = METER.try_with(|m| {
        if m.depth.get() == 0 {
            return;
        }
        m.live.set(m.live.get().saturating_add(bytes));
        if bytes <= 0 {
            return;
        }
        let count = m.allocations.get().wrapping_add(1);
        m.allocations.set(count);
        if m.tripped.get() == 0 {
            measure(m, count % 64 == 0);
            return;
        }
        // Tripped, and still allocating: the render has not met a hook that ends it.
        // At twice its budget it is stopped.
        let hard = m.live.get() / 2 > m.max_bytes.get()
            || (count % 64 == 0 && elapsed_ms(m) / 2 > m.max_ms.get());
        if hard {
            park(m);
        }
    });
}

/// Leaves word of a render over its budget for [`contain_until`], unless another render of the
/// same build did first, and stops the build's other renders. Allocates nothing.
fn record(m: &Meter) {
    let run = m.run.get();
    if run == 0 {
        return;
    }
    if m.tripped.get() != Reason::Cancelled.code() {
        FAILED.store(run, Ordering::Relaxed);
    }
    let record = Parked {
        run,
        reason: m.tripped.get(),
        max_ms: m.max_ms.get(),
        max_bytes: m.max_bytes.get(),
        name: m.name.get(),
        name_len: m.name_len.get(),
    };
    if let Ok(mut slots) = PARKED.lock() {
        let slot = &mut slots[(run % 16) as usize];
        let first = slot.is_none_or(|p| p.run != run || p.reason == Reason::Cancelled.code());
        if first {
            *slot = Some(record);
        }
    }
}

/// Leaves word of the stopped render for [`contain_until`] and stops its thread for good.
fn park(m: &Meter) -> ! {
    m.depth.set(0);
    record(m);
    loop {
        std::thread::sleep(Duration::from_secs(3600));
    }
}

/// The binary's allocator, `A`, with the render meter (see the module's doc).
pub struct Guarded<A>(pub A);

// The one place rasci allows `unsafe`: an allocator can only be written as an `unsafe`
// trait. SAFETY: every call is passed on to `A` unchanged; the meter only counts (with
// thread-local cells and atomics, never allocating), and when it stops a thread it does
// so before calling `A`, never inside it.
#[allow(unsafe_code)]
unsafe impl<A: GlobalAlloc> GlobalAlloc for Guarded<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        charge(size(layout.size()));
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        charge(size(layout.size()));
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        charge(-size(layout.size()));
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        charge(size(new_size) - size(layout.size()));
        // SAFETY: the caller's contract, passed on.
        unsafe { self.0.realloc(ptr, layout, new_size) }
    }
}

fn size(bytes: usize) -> i64 {
    i64::try_from(bytes).unwrap_or(i64::MAX)
}

/// A build stopped because one of its renders went over its budget and did not end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stopped {
    pub(crate) file: String,
    pub(crate) reason: Reason,
    pub(crate) limits: Limits,
}

impl std::fmt::Display for Stopped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&message(&self.file, self.reason, self.limits))
    }
}

/// Runs `work` (a build) on a thread pool no other build is using, and returns its
/// result, unless one of its renders went over its budget: then it says which template
/// it was, as soon as it is known, without waiting for `work` (whose threads end at their
/// next hook, or stay parked). A panic in `work` is passed on. It gives up on `work` as
/// soon as `replaced` says a newer build takes its place (checked every 20 ms): its
/// renders are cancelled, which ends them at their next hook, and the answer is a
/// [`Reason::Cancelled`] naming no file.
pub(crate) fn contain_until<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
    mut replaced: impl FnMut() -> bool,
) -> Result<T, Stopped> {
    let run = RUNS.fetch_add(1, Ordering::Relaxed) + 1;
    let (sender, receiver) = std::sync::mpsc::channel();
    let job = move || {
        set_run(run);
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
        let _ = sender.send(result);
    };
    let pool = match IDLE_POOL.lock().ok().and_then(|mut idle| idle.take()) {
        Some(pool) => Some(pool),
        // Stacks as large as the main thread's and more: rendering nests Tera's
        // interpreter once per included template (see `templates::MAX_NESTING`). Only
        // what is used of them is ever backed by memory.
        None => rayon::ThreadPoolBuilder::new()
            .stack_size(STACK)
            .thread_name(|i| format!("rasci-build-{i}"))
            .build()
            .ok(),
    };
    match &pool {
        Some(pool) => {
            // Every thread of the pool meters its renders as this build's.
            pool.broadcast(|_| set_run(run));
            pool.spawn(job);
        }
        None => {
            let spawned = std::thread::Builder::new()
                .name("rasci-build".into())
                .stack_size(STACK)
                .spawn(job);
            if spawned.is_err() {
                unreachable_spawn();
            }
        }
    }
    loop {
        match receiver.recv_timeout(Duration::from_millis(20)) {
            Ok(Ok(result)) => {
                // The build returned, so none of its threads is still at work or parked:
                // the next build may run on them.
                if let (Some(pool), Ok(mut idle)) = (pool, IDLE_POOL.lock()) {
                    *idle = Some(pool);
                }
                return parked(run).map_or(Ok(result), Err);
            }
            Ok(Err(payload)) => std::panic::resume_unwind(payload),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
                if let Some(stopped) = parked(run) {
                    return Err(stopped);
                }
                if replaced() {
                    CANCELLED.fetch_max(run, Ordering::Relaxed);
                    return Err(Stopped {
                        file: String::new(),
                        reason: Reason::Cancelled,
                        limits: Limits {
                            max_ms: 0,
                            max_bytes: 0,
                        },
                    });
                }
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
                unreachable!("the build sends its result, or its panic, before it ends")
            }
        }
    }
}

/// The thread pool of the last build that returned, for the next build to run on. A
/// preview rebuilds on every save: threads made anew for each rebuild started with cold
/// caches and empty allocator heaps, and faulting in fresh pages was a tenth of a
/// rebuild of one page. The pool of a build given up on (a render stopped, a newer save)
/// is never kept: its threads may still be at that build, or parked for good.
static IDLE_POOL: Mutex<Option<rayon::ThreadPool>> = Mutex::new(None);

/// The stack of each thread of a build.
const STACK: usize = 32 << 20;

/// A process that cannot start one thread cannot build a site either.
fn unreachable_spawn() -> ! {
    panic!("cannot start a thread for the build")
}

fn set_run(run: u64) {
    let _ = METER.try_with(|m| m.run.set(run));
}

fn parked(run: u64) -> Option<Stopped> {
    let slots = PARKED.lock().ok()?;
    let record = slots[(run % 16) as usize].filter(|p| p.run == run)?;
    Some(Stopped {
        file: String::from_utf8_lossy(&record.name[..record.name_len]).into_owned(),
        reason: Reason::from_code(record.reason)?,
        limits: Limits {
            max_ms: record.max_ms,
            max_bytes: u64::try_from(record.max_bytes).unwrap_or(0),
        },
    })
}

/// What a render that went over its budget is told, led by its template's file.
pub(crate) fn message(file: &str, reason: Reason, limits: Limits) -> String {
    format!("{file}: {}", explain(reason, limits))
}

/// Why a render was stopped, without the file.
pub(crate) fn explain(reason: Reason, limits: Limits) -> String {
    match reason {
        Reason::Time => format!(
            "the template ran longer than its budget of {} ms (`templates: max_render_ms` in rasci.yaml) and was stopped; does a loop run far more often than meant?",
            limits.max_ms
        ),
        Reason::Memory => format!(
            "the template used more than its budget of {} bytes (`templates: max_render_bytes` in rasci.yaml) and was stopped; does a loop make its output or a string grow without end?",
            limits.max_bytes
        ),
        Reason::Cancelled => "the render was replaced by a newer build".to_string(),
    }
}
