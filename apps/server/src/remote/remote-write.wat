;; The byte work of remote write ingest (compiled into remote-write-wasm.ts by
;; scripts/compile-wat.mjs): a snappy block decoder and a walk over the decoded WriteRequest.
;;
;; snappy: the caller places the compressed bytes (after the length header) at
;; [ip, end) and reserves [op, outEnd) for the output, each followed by 16 spare bytes: short
;; literals and copies move 8 bytes at a time and may read or write up to 15 bytes past their end.
;; Every length and offset is checked against its buffer first, so hostile input ends in an error
;; code, never in a read or write outside the caller's buffers.
;;
;; snappy(ip, end, op, outEnd) -> bytes written, or a negative error code:
;;   -1 truncated literal length, -2 literal overruns its input or output,
;;   -3 truncated copy, -4 copy offset outside the output, -5 copy overruns the output.
(module
  (memory (export "memory") 1)
  (func (export "snappy") (param $ip i32) (param $end i32) (param $op i32) (param $outEnd i32) (result i32)
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
    (i32.sub (local.get $op) (local.get $op0)))

  ;; walk: reads a decoded WriteRequest at [p, end) the way decodeWriteRequest (write-request.ts)
  ;; does, for the shape senders use: label fields first in each time series, then samples with a
  ;; value and a timestamp of at most 7 varint bytes (any date from 1970 to 19800). Anything else
  ;; (labels after samples, longer or negative timestamps, fields of other wire types, damage)
  ;; returns -1 and the caller runs decodeWriteRequest, which handles every case and names the
  ;; error. Per series it writes seven i32 arrays of capS entries from $arrays on (seriesStart,
  ;; seriesEnd, sampleFrom, sampleTo, rawStart, rawEnd, rawHash; positions relative to p), and per
  ;; sample a timestamp (f64) at $tOut and the value's 8 bytes at $vOut. Returns the series count
  ;; (the sample count is left in the `samples` global), or -2 / -3 when capS / capN is too small.
  (global $at (mut i32) (i32.const 0))
  (global $samples (export "samples") (mut i32) (i32.const 0))

  ;; A varint of at most 4 bytes (below 2^28) at p, within limit: its value, the position after it
  ;; in $at; -1 when truncated or longer.
  (func $len (param $p i32) (param $limit i32) (result i32)
    (local $b i32) (local $x i32) (local $shift i32)
    (loop $more
      (if (i32.ge_u (local.get $p) (local.get $limit)) (then (return (i32.const -1))))
      (local.set $b (i32.load8_u (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $x (i32.or (local.get $x) (i32.shl (i32.and (local.get $b) (i32.const 0x7f)) (local.get $shift))))
      (if (i32.lt_u (local.get $b) (i32.const 0x80))
        (then (global.set $at (local.get $p)) (return (local.get $x))))
      (local.set $shift (i32.add (local.get $shift) (i32.const 7)))
      (br_if $more (i32.lt_u (local.get $shift) (i32.const 28))))
    (i32.const -1))

  ;; Skips a length-delimited field whose tag is at p (within limit): the position after it, or -1
  ;; when the tag is not a one-byte tag of wire type 2 or the field overruns.
  (func $skip (param $p i32) (param $limit i32) (result i32)
    (local $len i32)
    (if (i32.ne (i32.and (i32.load8_u (local.get $p)) (i32.const 0x87)) (i32.const 2))
      (then (return (i32.const -1))))
    (local.set $len (call $len (i32.add (local.get $p) (i32.const 1)) (local.get $limit)))
    (if (i32.lt_s (local.get $len) (i32.const 0)) (then (return (i32.const -1))))
    (if (i32.gt_u (local.get $len) (i32.sub (local.get $limit) (global.get $at))) (then (return (i32.const -1))))
    (i32.add (global.get $at) (local.get $len)))

  (func (export "walk") (param $p i32) (param $end i32) (param $arrays i32) (param $capS i32)
    (param $tOut i32) (param $vOut i32) (param $capN i32) (result i32)
    (local $base i32) (local $stride i32) (local $ns i32) (local $nn i32) (local $len i32)
    (local $msgEnd i32) (local $tag i32) (local $keyStart i32) (local $keyEnd i32) (local $sEnd i32)
    (local $slot i32) (local $b i32) (local $ts i64) (local $v i64) (local $shift i64) (local $h i32)
    (local.set $base (local.get $p))
    (local.set $stride (i32.shl (local.get $capS) (i32.const 2)))
    (block $done
      (loop $series
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 0x0a))
          (then
            ;; Other WriteRequest fields (metadata): skipped.
            (local.set $p (call $skip (local.get $p) (local.get $end)))
            (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
            (br $series)))
        (local.set $len (call $len (i32.add (local.get $p) (i32.const 1)) (local.get $end)))
        (if (i32.lt_s (local.get $len) (i32.const 0)) (then (return (i32.const -1))))
        (local.set $p (global.get $at))
        (if (i32.gt_u (local.get $len) (i32.sub (local.get $end) (local.get $p))) (then (return (i32.const -1))))
        (local.set $msgEnd (i32.add (local.get $p) (local.get $len)))
        (if (i32.eq (local.get $ns) (local.get $capS)) (then (return (i32.const -2))))
        (local.set $slot (i32.add (local.get $arrays) (i32.shl (local.get $ns) (i32.const 2))))
        (i32.store (local.get $slot) (i32.sub (local.get $p) (local.get $base)))
        (i32.store (i32.add (local.get $slot) (local.get $stride)) (i32.sub (local.get $msgEnd) (local.get $base)))
        (i32.store (i32.add (local.get $slot) (i32.shl (local.get $stride) (i32.const 1))) (local.get $nn))
        ;; Positions are never 0 here (the input comes first in memory): 0 means no label yet.
        (local.set $keyStart (i32.const 0))
        (local.set $keyEnd (i32.const 0))
        (block $fieldsDone
          (loop $fields
            (br_if $fieldsDone (i32.ge_u (local.get $p) (local.get $msgEnd)))
            (local.set $tag (i32.load8_u (local.get $p)))
            (if (i32.eq (local.get $tag) (i32.const 0x0a))
              (then
                ;; A label: the labels must form one run of bytes, the series' raw key.
                (if (i32.and (i32.ne (local.get $keyStart) (i32.const 0)) (i32.ne (local.get $keyEnd) (local.get $p)))
                  (then (return (i32.const -1))))
                (if (i32.eqz (local.get $keyStart)) (then (local.set $keyStart (local.get $p))))
                (local.set $p (call $skip (local.get $p) (local.get $msgEnd)))
                (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
                (local.set $keyEnd (local.get $p))
                (br $fields)))
            (if (i32.ne (local.get $tag) (i32.const 0x12))
              (then
                ;; Other TimeSeries fields (exemplars, histograms): skipped.
                (local.set $p (call $skip (local.get $p) (local.get $msgEnd)))
                (if (i32.lt_s (local.get $p) (i32.const 0)) (then (return (i32.const -1))))
                (br $fields)))
            ;; A sample.
            (local.set $len (call $len (i32.add (local.get $p) (i32.const 1)) (local.get $msgEnd)))
            (if (i32.lt_s (local.get $len) (i32.const 0)) (then (return (i32.const -1))))
            (local.set $p (global.get $at))
            (if (i32.gt_u (local.get $len) (i32.sub (local.get $msgEnd) (local.get $p))) (then (return (i32.const -1))))
            (local.set $sEnd (i32.add (local.get $p) (local.get $len)))
            (if (i32.eq (local.get $nn) (local.get $capN)) (then (return (i32.const -3))))
            (local.set $ts (i64.const 0))
            (local.set $v (i64.const 0))
            (block $sampleDone
              (loop $sample
                (br_if $sampleDone (i32.ge_u (local.get $p) (local.get $sEnd)))
                (local.set $b (i32.load8_u (local.get $p)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (if (i32.eq (local.get $b) (i32.const 0x09))
                  (then
                    (if (i32.gt_u (i32.const 8) (i32.sub (local.get $sEnd) (local.get $p))) (then (return (i32.const -1))))
                    (local.set $v (i64.load (local.get $p)))
                    (local.set $p (i32.add (local.get $p) (i32.const 8)))
                    (br $sample)))
                (if (i32.ne (local.get $b) (i32.const 0x10)) (then (return (i32.const -1))))
                (local.set $ts (i64.const 0))
                (local.set $shift (i64.const 0))
                (loop $digits
                  (if (i32.ge_u (local.get $p) (local.get $sEnd)) (then (return (i32.const -1))))
                  (local.set $b (i32.load8_u (local.get $p)))
                  (local.set $p (i32.add (local.get $p) (i32.const 1)))
                  (local.set $ts (i64.or (local.get $ts)
                    (i64.shl (i64.extend_i32_u (i32.and (local.get $b) (i32.const 0x7f))) (local.get $shift))))
                  (br_if $sample (i32.lt_u (local.get $b) (i32.const 0x80)))
                  (local.set $shift (i64.add (local.get $shift) (i64.const 7)))
                  (br_if $digits (i64.lt_u (local.get $shift) (i64.const 49))))
                (return (i32.const -1))))
            (f64.store (i32.add (local.get $tOut) (i32.shl (local.get $nn) (i32.const 3))) (f64.convert_i64_s (local.get $ts)))
            (i64.store (i32.add (local.get $vOut) (i32.shl (local.get $nn) (i32.const 3))) (local.get $v))
            (local.set $nn (i32.add (local.get $nn) (i32.const 1)))
            (br $fields)))
        ;; A series without labels: decodeWriteRequest passes it on to be rejected.
        (if (i32.eqz (local.get $keyStart)) (then (return (i32.const -1))))
        (i32.store (i32.add (local.get $slot) (i32.mul (local.get $stride) (i32.const 3))) (local.get $nn))
        (i32.store (i32.add (local.get $slot) (i32.shl (local.get $stride) (i32.const 2))) (i32.sub (local.get $keyStart) (local.get $base)))
        (i32.store (i32.add (local.get $slot) (i32.mul (local.get $stride) (i32.const 5))) (i32.sub (local.get $keyEnd) (local.get $base)))
        ;; The raw key's hash, as rawKeyHash (write-request.ts) computes it: a multiply per 4-byte
        ;; little-endian word (a dependent multiply per byte took half of the walk), then per byte
        ;; for the last 1 to 3, then the high half folded into the low one.
        (local.set $h (i32.const 0x811c9dc5))
        (block $wordsDone
          (loop $words
            (br_if $wordsDone (i32.gt_u (i32.add (local.get $keyStart) (i32.const 4)) (local.get $keyEnd)))
            (local.set $h (i32.mul (i32.xor (local.get $h) (i32.load (local.get $keyStart))) (i32.const 0x9e3779b1)))
            (local.set $keyStart (i32.add (local.get $keyStart) (i32.const 4)))
            (br $words)))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $keyStart) (local.get $keyEnd)))
            (local.set $h (i32.mul (i32.xor (local.get $h) (i32.load8_u (local.get $keyStart))) (i32.const 0x9e3779b1)))
            (local.set $keyStart (i32.add (local.get $keyStart) (i32.const 1)))
            (br $tail)))
        (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
        (i32.store (i32.add (local.get $slot) (i32.mul (local.get $stride) (i32.const 6))) (local.get $h))
        (local.set $ns (i32.add (local.get $ns) (i32.const 1)))
        (br $series)))
    (global.set $samples (local.get $nn))
    (local.get $ns)))
