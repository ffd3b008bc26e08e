//! apache: live tests (in progress).
