//! Waiting for a benchmark's child process and reading what it cost, shared by the
//! benchmarks that time `rasci` as a separate process.

use std::time::Duration;

/// Waits for the child `pid` with `wait4`, which reports the resource use of that child
/// alone (`getrusage(RUSAGE_CHILDREN)` would give the largest of all children waited for
/// so far). Returns the raw wait status (0 when it exited with 0), `ru_maxrss`, which
/// Linux gives in KiB, and the CPU time (user and system) of the child. The standard
/// library has no portable way to read either, hence the one system call, on a process
/// the benchmark started and has not waited for.
#[allow(unsafe_code)]
pub fn wait_with_peak(pid: u32) -> (i32, u64, Duration) {
    let mut status: libc::c_int = 0;
    // SAFETY: all-zero is a valid `rusage` (plain integers), filled in by the call.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: both pointers are to live locals; `pid` is our own unwaited child.
        let done = unsafe { libc::wait4(pid as libc::pid_t, &mut status, 0, &mut usage) };
        if done == pid as libc::pid_t {
            break;
        }
        let error = std::io::Error::last_os_error();
        assert!(
            error.kind() == std::io::ErrorKind::Interrupted,
            "wait4: {error}"
        );
    }
    let seconds = |time: libc::timeval| {
        Duration::from_secs(time.tv_sec.max(0) as u64)
            + Duration::from_micros(time.tv_usec.max(0) as u64)
    };
    (
        status,
        usage.ru_maxrss.max(0) as u64,
        seconds(usage.ru_utime) + seconds(usage.ru_stime),
    )
}
