//! Write: put a rendered site on disk atomically.
