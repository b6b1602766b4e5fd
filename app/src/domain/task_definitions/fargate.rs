//! The CPU and memory sizes Fargate accepts.

/// Task CPU sizes Fargate offers, in CPU units (1024 units = 1 vCPU).
pub const FARGATE_CPU_OPTIONS: &[u32] = &[256, 512, 1024, 2048, 4096, 8192, 16384];

/// The task memory sizes (MiB) Fargate allows with `cpu` CPU units, smallest first.
/// Empty when `cpu` is not a Fargate size.
pub fn fargate_memory_options(cpu: u32) -> Vec<u32> {
    let (min, max, step) = match cpu {
        256 => return vec![512, 1024, 2048],
        512 => (1024, 4096, 1024),
        1024 => (2048, 8192, 1024),
        2048 => (4096, 16384, 1024),
        4096 => (8192, 30720, 1024),
        8192 => (16384, 61440, 4096),
        16384 => (32768, 122880, 8192),
        _ => return Vec::new(),
    };
    (min..=max).step_by(step).collect()
}

/// True when Fargate can run a task with `cpu` CPU units and `memory` MiB.
pub fn is_valid_fargate_size(cpu: u32, memory: u32) -> bool {
    fargate_memory_options(cpu).contains(&memory)
}

#[cfg(test)]
mod tests;
