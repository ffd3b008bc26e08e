//! haproxy: live tests (in progress).
