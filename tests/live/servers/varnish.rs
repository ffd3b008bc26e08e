//! varnish: live tests (in progress).
