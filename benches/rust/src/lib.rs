//! Benchmark support: see benches/decode.rs.
