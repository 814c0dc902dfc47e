//! What every emitter shares, so that the four targets cannot drift apart
//! on it: the YAML writer, the generated-file header, hashed names, and the
//! gate library packaged for Kubernetes. A target folder holds only what
//! is particular to its CI system.

pub mod gates;
pub mod header;
pub mod names;
pub mod yaml;
