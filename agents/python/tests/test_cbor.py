"""The built-in CBOR encoder/decoder (used when cbor2 is missing) against RFC 8949 examples."""

import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from weft_asyncio import _cbor  # noqa: E402

# (value, encoding) pairs from RFC 8949 appendix A, restricted to the types Weft uses.
VECTORS = [
    (0, "00"), (1, "01"), (10, "0a"), (23, "17"), (24, "1818"), (25, "1819"), (100, "1864"),
    (1000, "1903e8"), (1000000, "1a000f4240"), (1000000000000, "1b000000e8d4a51000"),
    (18446744073709551615, "1bffffffffffffffff"), (-1, "20"), (-10, "29"), (-100, "3863"),
    (-1000, "3903e7"), (-18446744073709551616, "3bffffffffffffffff"),
    (b"", "40"), (b"\x01\x02\x03\x04", "4401020304"), ("", "60"), ("a", "6161"),
    ("IETF", "6449455446"), ("\u00fc", "62c3bc"), ("\u6c34", "63e6b0b4"),
    ([], "80"), ([1, 2, 3], "83010203"), ([1, [2, 3], [4, 5]], "8301820203820405"),
    (list(range(1, 26)), "98190102030405060708090a0b0c0d0e0f101112131415161718181819"),
    ({}, "a0"), ({"a": 1, "b": [2, 3]}, "a26161016162820203"),
    (False, "f4"), (True, "f5"), (None, "f6"),
]


class BuiltinCborTest(unittest.TestCase):
    def test_rfc_vectors_encode(self):
        for value, hexed in VECTORS:
            with self.subTest(value=value):
                self.assertEqual(_cbor.dumps(value).hex(), hexed)

    def test_rfc_vectors_decode(self):
        for value, hexed in VECTORS:
            with self.subTest(value=value):
                self.assertEqual(_cbor.loads(bytes.fromhex(hexed)), value)

    def test_tuples_encode_as_arrays(self):
        self.assertEqual(_cbor.dumps((6, -5, 1)), _cbor.dumps([6, -5, 1]))

    def test_integer_boundaries_round_trip(self):
        for v in (23, 24, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**64 - 1,
                  -24, -25, -256, -257, -(2**32), -(2**64)):
            with self.subTest(v=v):
                self.assertEqual(_cbor.loads(_cbor.dumps(v)), v)

    def test_out_of_range_and_unknown_types_are_refused(self):
        with self.assertRaises(ValueError):
            _cbor.dumps(2**64)
        with self.assertRaises(TypeError):
            _cbor.dumps(object())

    def test_decoder_refuses_indefinite_lengths_and_lies(self):
        with self.assertRaises(_cbor.DecodeError):
            _cbor.loads(bytes.fromhex("9f01ff"))      # indefinite array
        with self.assertRaises(_cbor.DecodeError):
            _cbor.loads(bytes.fromhex("9bffffffffffffffff"))  # count beyond the data
        with self.assertRaises(_cbor.DecodeError):
            _cbor.loads(bytes.fromhex("83010203ff"))  # trailing byte
        deep = bytes([0x81] * 40) + b"\x00"
        with self.assertRaises(_cbor.DecodeError):
            _cbor.loads(deep)

    def test_matches_cbor2_when_available(self):
        try:
            import cbor2
        except ImportError:
            self.skipTest("cbor2 not importable in this interpreter")
        sample = {"strings": ["a", "é", "x" * 300], "locations": [[1, 2, 3, 40]],
                  "events": [[5, 0, 1, 0, 1, 2, 1], [11, 12, 300000000, 1, [1, 2]],
                             [12, -3, 2**40]], "payload": b"\x00" * 70}
        self.assertEqual(_cbor.dumps(sample), cbor2.dumps(sample))
        self.assertEqual(cbor2.loads(_cbor.dumps(sample)), sample)



class FixedWidthEventTest(unittest.TestCase):
    """Events packed at recording time decode as the arrays FORMAT.md describes."""

    def test_packed_events_decode_as_arrays(self):
        from weft_asyncio import _writer as w
        run = _cbor.pack3(w.HEAD_RUN_BEGIN, _cbor.U64, 123456789012, _cbor.U32, 7)
        self.assertEqual(_cbor.loads(run), [w.TASK_RUN_BEGIN, 123456789012, 7])
        awaiting = _cbor.pack5(w.HEAD_AWAIT_BEGIN, _cbor.U64, 0, _cbor.U32, 2**32 - 1, _cbor.U32, 3, _cbor.U32, 4)
        self.assertEqual(_cbor.loads(awaiting), [w.AWAIT_BEGIN, 0, 2**32 - 1, 3, 4])
        payload = _cbor.encode_payload(["a"], [], [run, awaiting])
        self.assertEqual(_cbor.loads(payload)["events"][1][0], w.AWAIT_BEGIN)

    def test_created_event_takes_its_name_later(self):
        from weft_asyncio import _writer as w
        event = w.new_created_event(5, 9, 2, 3, 4)
        self.assertEqual(_cbor.loads(bytes(event)), [w.TASK_CREATED, 5, 9, 2, 0, 3, 4])
        _cbor.set_field7(event, _cbor.FIELD7_C, 11)
        self.assertEqual(_cbor.loads(bytes(event)), [w.TASK_CREATED, 5, 9, 2, 11, 3, 4])

    def test_values_past_the_fixed_widths_fall_back_to_full_encoding(self):
        import struct
        from weft_asyncio import _writer as w
        with self.assertRaises(struct.error):
            _cbor.pack3(w.HEAD_RUN_END, _cbor.U64, -1, _cbor.U32, 1)
        event = w.new_created_event(-2, 2**40, 0, 1, 0)
        self.assertEqual(_cbor.loads(bytes(event)), [w.TASK_CREATED, -2, 2**40, 0, 0, 1, 0])


if __name__ == "__main__":
    unittest.main()
