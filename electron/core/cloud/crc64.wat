;; CRC-64/XZ (OSS's x-oss-hash-crc64ecma) over bytes in this module's memory, slicing-by-16.
;; Source of crc64-wasm.ts: `node scripts/build-wasm.mjs` compiles it, a unit test checks the two agree.
;;
;; Memory: 16 tables of 256 i64 at 0 (table k, entry b at k * 2048 + b * 8), then the input window
;; at 32768 that the caller fills. Table k advances a byte by k further zero bytes, so the 16 bytes
;; of a block are folded in one step. Wasm loads are little-endian, as the reflected CRC needs.
(module
  (memory (export "memory") 17)

  ;; The tables, built once at instantiation from the reflected polynomial 0xC96C5795D7870F42.
  (func $tables
    (local $b i32) (local $bit i32) (local $c i64) (local $at i32) (local $prev i64)
    (loop $byte
      (local.set $c (i64.extend_i32_u (local.get $b)))
      (local.set $bit (i32.const 8))
      (loop $shift
        (local.set $c
          (i64.xor
            (i64.shr_u (local.get $c) (i64.const 1))
            (i64.and (i64.const 0xC96C5795D7870F42) (i64.sub (i64.const 0) (i64.and (local.get $c) (i64.const 1))))))
        (br_if $shift (local.tee $bit (i32.sub (local.get $bit) (i32.const 1)))))
      (i64.store (i32.shl (local.get $b) (i32.const 3)) (local.get $c))
      (br_if $byte (i32.lt_u (local.tee $b (i32.add (local.get $b) (i32.const 1))) (i32.const 256))))
    (local.set $at (i32.const 2048))
    (loop $entry
      (local.set $prev (i64.load (i32.sub (local.get $at) (i32.const 2048))))
      (i64.store (local.get $at)
        (i64.xor
          (i64.shr_u (local.get $prev) (i64.const 8))
          (i64.load (i32.shl (i32.wrap_i64 (i64.and (local.get $prev) (i64.const 255))) (i32.const 3)))))
      (br_if $entry (i32.lt_u (local.tee $at (i32.add (local.get $at) (i32.const 8))) (i32.const 32768)))))
  (start $tables)

  ;; Advances the (pre-inverted) register $crc over $n bytes at $p and returns it.
  (func (export "update") (param $crc i64) (param $p i32) (param $n i32) (result i64)
    (local $blocks i32) (local $end i32) (local $a i64) (local $b i64)
    (local.set $blocks (i32.add (local.get $p) (i32.and (local.get $n) (i32.const -16))))
    (local.set $end (i32.add (local.get $p) (local.get $n)))
    (block $bulk
      (loop $block
        (br_if $bulk (i32.ge_u (local.get $p) (local.get $blocks)))
        ;; Byte j of the block travels 15 - j more bytes, so it is looked up in table 15 - j,
        ;; at offset 8 * ((word >> 8j) & 0xff), computed as one shift and a mask of 0x7f8.
        (local.set $a (i64.xor (i64.load (local.get $p)) (local.get $crc)))
        (local.set $b (i64.load offset=8 (local.get $p)))
        (local.set $crc
          (i64.xor
            (i64.xor
              (i64.xor
                (i64.xor
                  (i64.load offset=30720 (i32.and (i32.shl (i32.wrap_i64 (local.get $a)) (i32.const 3)) (i32.const 0x7f8)))
                  (i64.load offset=28672 (i32.and (i32.wrap_i64 (i64.shr_u (local.get $a) (i64.const 5))) (i32.const 0x7f8))))
                (i64.xor
                  (i64.load offset=26624 (i32.and (i32.wrap_i64 (i64.shr_u (local.get $a) (i64.const 13))) (i32.const 0x7f8)))
                  (i64.load offset=24576 (i32.and (i32.wrap_i64 (i64.shr_u (local.get $a) (i64.const 21))) (i32.const 0x7f8)))))
              (i64.xor
                (i64.xor
                  (i64.load offset=22528 (i32.and (i32.wrap_i64 (i64.shr_u (local.get $a) (i64.const 29))) (i32.const 0x7f8)))
                  (i64.load offset=20480 (i32.and (i32.wrap_i64 (i64.shr_u (local.get $a) (i64.const 37))) (i32.const 0x7f8))))
                (i64.xor
                  (i64.load offset=18432 (i32.and (i32.wrap_i64 (i64.shr_u (local.get $a) (i64.const 45))) (i32.const 0x7f8)))
                  (i64.load offset=16384 (i32.and (i32.wrap_i64 (i64.shr_u (local.get $a) (i64.const 53))) (i32.const 0x7f8))))))
            (i64.xor
              (i64.xor
                (i64.xor
                  (i64.load offset=14336 (i32.and (i32.shl (i32.wrap_i64 (local.get $b)) (i32.const 3)) (i32.const 0x7f8)))
                  (i64.load offset=12288 (i32.and (i32.wrap_i64 (i64.shr_u (local.get $b) (i64.const 5))) (i32.const 0x7f8))))
                (i64.xor
                  (i64.load offset=10240 (i32.and (i32.wrap_i64 (i64.shr_u (local.get $b) (i64.const 13))) (i32.const 0x7f8)))
                  (i64.load offset=8192 (i32.and (i32.wrap_i64 (i64.shr_u (local.get $b) (i64.const 21))) (i32.const 0x7f8)))))
              (i64.xor
                (i64.xor
                  (i64.load offset=6144 (i32.and (i32.wrap_i64 (i64.shr_u (local.get $b) (i64.const 29))) (i32.const 0x7f8)))
                  (i64.load offset=4096 (i32.and (i32.wrap_i64 (i64.shr_u (local.get $b) (i64.const 37))) (i32.const 0x7f8))))
                (i64.xor
                  (i64.load offset=2048 (i32.and (i32.wrap_i64 (i64.shr_u (local.get $b) (i64.const 45))) (i32.const 0x7f8)))
                  (i64.load offset=0 (i32.and (i32.wrap_i64 (i64.shr_u (local.get $b) (i64.const 53))) (i32.const 0x7f8))))))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $block)))
    (block $done
      (loop $byte
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $crc
          (i64.xor
            (i64.shr_u (local.get $crc) (i64.const 8))
            (i64.load (i32.shl (i32.wrap_i64 (i64.and (i64.xor (local.get $crc) (i64.load8_u (local.get $p))) (i64.const 255))) (i32.const 3)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $byte)))
    (local.get $crc))
)
