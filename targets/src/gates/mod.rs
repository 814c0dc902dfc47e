//! The gates (in progress).
