use std::process::ExitCode;

/// mimalloc instead of the system allocator: a build allocates and frees millions of
/// small strings and values from two threads, and glibc's malloc spent about a sixth of a
/// 10,000-page build's CPU time in its own code (measured with `perf`). Built without
/// transparent huge pages (`no_thp`): with them, building the example took 43 MiB and
/// a third longer to start, the kernel zeroing whole huge pages for a small heap.
///
/// Wrapped in the render budget's meter, which is how a template that loops or grows
/// without end is stopped (see `rasci::cli::Allocator`).
#[global_allocator]
static ALLOCATOR: rasci::cli::Allocator = rasci::cli::ALLOCATOR;

fn main() -> ExitCode {
    rasci::cli::main()
}
