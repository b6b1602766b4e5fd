use super::*;

/// AWS's table, written out in full.
const TABLE: &[(u32, &[u32])] = &[
    (256, &[512, 1024, 2048]),
    (512, &[1024, 2048, 3072, 4096]),
    (1024, &[2048, 3072, 4096, 5120, 6144, 7168, 8192]),
    (
        2048,
        &[
            4096, 5120, 6144, 7168, 8192, 9216, 10240, 11264, 12288, 13312, 14336, 15360, 16384,
        ],
    ),
    (
        4096,
        &[
            8192, 9216, 10240, 11264, 12288, 13312, 14336, 15360, 16384, 17408, 18432, 19456,
            20480, 21504, 22528, 23552, 24576, 25600, 26624, 27648, 28672, 29696, 30720,
        ],
    ),
    (
        8192,
        &[
            16384, 20480, 24576, 28672, 32768, 36864, 40960, 45056, 49152, 53248, 57344, 61440,
        ],
    ),
    (
        16384,
        &[
            32768, 40960, 49152, 57344, 65536, 73728, 81920, 90112, 98304, 106496, 114688, 122880,
        ],
    ),
];

#[test]
fn memory_options_match_the_table() {
    let cpus: Vec<u32> = TABLE.iter().map(|(cpu, _)| *cpu).collect();
    assert_eq!(FARGATE_CPU_OPTIONS, cpus.as_slice());
    for (cpu, memory) in TABLE {
        assert_eq!(fargate_memory_options(*cpu), memory.to_vec(), "cpu {cpu}");
    }
    for cpu in [0, 128, 255, 257, 768, 3072, 32768] {
        assert!(fargate_memory_options(cpu).is_empty(), "cpu {cpu}");
    }
}

#[test]
fn every_pair_in_the_table_is_valid_and_nothing_else() {
    for (cpu, memory) in TABLE {
        for m in *memory {
            assert!(is_valid_fargate_size(*cpu, *m), "{cpu}/{m}");
        }
        // Every other multiple of 512 MiB up to 128 GiB is refused.
        for m in (0..=131072).step_by(512).filter(|m| !memory.contains(m)) {
            assert!(!is_valid_fargate_size(*cpu, m), "{cpu}/{m}");
        }
    }
}

#[test]
fn one_valid_and_one_invalid_memory_per_cpu() {
    let cases: &[(u32, u32, bool)] = &[
        (256, 512, true),
        (256, 4096, false),
        (512, 1024, true),
        (512, 512, false),
        (1024, 8192, true),
        (1024, 1024, false),
        (2048, 16384, true),
        (2048, 17408, false),
        (4096, 30720, true),
        (4096, 31744, false),
        (8192, 16384, true),
        (8192, 17408, false),
        (16384, 40960, true),
        (16384, 36864, false),
        (3072, 6144, false),
    ];
    for (cpu, memory, valid) in cases {
        assert_eq!(
            is_valid_fargate_size(*cpu, *memory),
            *valid,
            "{cpu}/{memory}"
        );
    }
}
