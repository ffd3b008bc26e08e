//! squid: live tests (in progress).
