//! The plan (in progress).
