;; Snappy block decoder for remote write bodies (compiled into snappy-wasm.ts by
;; scripts/compile-wat.mjs). The caller places the compressed bytes (after the length header) at
;; [ip, end) and reserves [op, outEnd) for the output, each followed by 16 spare bytes: short
;; literals and copies move 8 bytes at a time and may read or write up to 15 bytes past their end.
;; Every length and offset is checked against its buffer first, so hostile input ends in an error
;; code, never in a read or write outside the caller's buffers.
;;
;; decode(ip, end, op, outEnd) -> bytes written, or a negative error code:
;;   -1 truncated literal length, -2 literal overruns its input or output,
;;   -3 truncated copy, -4 copy offset outside the output, -5 copy overruns the output.
(module
  (memory (export "memory") 1)
  (func (export "decode") (param $ip i32) (param $end i32) (param $op i32) (param $outEnd i32) (result i32)
    (local $op0 i32) (local $tag i32) (local $len i32) (local $off i32) (local $from i32) (local $stop i32)
    (local.set $op0 (local.get $op))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $ip) (local.get $end)))
        (local.set $tag (i32.load8_u (local.get $ip)))
        (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
        (if (i32.eqz (i32.and (local.get $tag) (i32.const 3)))
          (then
            ;; A literal; $len holds its length minus one until checked.
            (local.set $len (i32.shr_u (local.get $tag) (i32.const 2)))
            (if (i32.ge_u (local.get $len) (i32.const 60))
              (then
                ;; The length follows in 1 to 4 little-endian bytes.
                (local.set $stop (i32.sub (local.get $len) (i32.const 59)))
                (if (i32.gt_u (local.get $stop) (i32.sub (local.get $end) (local.get $ip)))
                  (then (return (i32.const -1))))
                (local.set $len (i32.load (local.get $ip)))
                (if (i32.lt_u (local.get $stop) (i32.const 4))
                  (then (local.set $len (i32.and (local.get $len)
                    (i32.sub (i32.shl (i32.const 1) (i32.shl (local.get $stop) (i32.const 3))) (i32.const 1))))))
                (local.set $ip (i32.add (local.get $ip) (local.get $stop)))))
            (if (i32.ge_u (local.get $len) (i32.sub (local.get $end) (local.get $ip))) (then (return (i32.const -2))))
            (if (i32.ge_u (local.get $len) (i32.sub (local.get $outEnd) (local.get $op))) (then (return (i32.const -2))))
            (local.set $len (i32.add (local.get $len) (i32.const 1)))
            (if (i32.le_u (local.get $len) (i32.const 16))
              (then
                (i64.store (local.get $op) (i64.load (local.get $ip)))
                (i64.store offset=8 (local.get $op) (i64.load offset=8 (local.get $ip))))
              (else (memory.copy (local.get $op) (local.get $ip) (local.get $len))))
            (local.set $ip (i32.add (local.get $ip) (local.get $len)))
            (local.set $op (i32.add (local.get $op) (local.get $len)))
            (br $next)))
        ;; A copy of earlier output, with a 1, 2 or 4 byte offset.
        (if (i32.eq (i32.and (local.get $tag) (i32.const 3)) (i32.const 1))
          (then
            (if (i32.ge_u (local.get $ip) (local.get $end)) (then (return (i32.const -3))))
            (local.set $len (i32.add (i32.const 4) (i32.and (i32.shr_u (local.get $tag) (i32.const 2)) (i32.const 7))))
            (local.set $off (i32.or (i32.shl (i32.shr_u (local.get $tag) (i32.const 5)) (i32.const 8))
              (i32.load8_u (local.get $ip))))
            (local.set $ip (i32.add (local.get $ip) (i32.const 1))))
          (else
            (local.set $len (i32.add (i32.shr_u (local.get $tag) (i32.const 2)) (i32.const 1)))
            (if (i32.eq (i32.and (local.get $tag) (i32.const 3)) (i32.const 2))
              (then
                (if (i32.gt_u (i32.const 2) (i32.sub (local.get $end) (local.get $ip))) (then (return (i32.const -3))))
                (local.set $off (i32.load16_u (local.get $ip)))
                (local.set $ip (i32.add (local.get $ip) (i32.const 2))))
              (else
                (if (i32.gt_u (i32.const 4) (i32.sub (local.get $end) (local.get $ip))) (then (return (i32.const -3))))
                (local.set $off (i32.load (local.get $ip)))
                (local.set $ip (i32.add (local.get $ip) (i32.const 4)))))))
        (if (i32.or (i32.eqz (local.get $off)) (i32.gt_u (local.get $off) (i32.sub (local.get $op) (local.get $op0))))
          (then (return (i32.const -4))))
        (if (i32.gt_u (local.get $len) (i32.sub (local.get $outEnd) (local.get $op))) (then (return (i32.const -5))))
        (local.set $from (i32.sub (local.get $op) (local.get $off)))
        (local.set $stop (i32.add (local.get $op) (local.get $len)))
        ;; From an offset of 8 on, each 8-byte word reads only bytes already written (at most 64
        ;; bytes, up to 7 past the copy's end); closer offsets repeat a short pattern byte by byte.
        (if (i32.ge_u (local.get $off) (i32.const 8))
          (then
            (loop $words
              (i64.store (local.get $op) (i64.load (local.get $from)))
              (local.set $from (i32.add (local.get $from) (i32.const 8)))
              (local.set $op (i32.add (local.get $op) (i32.const 8)))
              (br_if $words (i32.lt_u (local.get $op) (local.get $stop)))))
          (else
            (loop $bytes
              (i32.store8 (local.get $op) (i32.load8_u (local.get $from)))
              (local.set $from (i32.add (local.get $from) (i32.const 1)))
              (local.set $op (i32.add (local.get $op) (i32.const 1)))
              (br_if $bytes (i32.lt_u (local.get $op) (local.get $stop))))))
        (local.set $op (local.get $stop))
        (br $next)))
    (i32.sub (local.get $op) (local.get $op0))))
