//! nginx: live tests (in progress).
