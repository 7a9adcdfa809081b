#!/usr/bin/python3
"""Unit tests of the example's decoding, without Kafka: both framings, the fingerprints, bad records.

The Confluent case serves the schema from a local HTTP endpoint shaped like a registry's GET /schemas/ids/{id}
answer; the real registry (Apicurio) is exercised by the Java integration tests.
Run: /usr/bin/python3 -m unittest examples/python/test_segstream_consumer.py
"""

import http.server
import io
import json
import os
import struct
import tempfile
import threading
import unittest

import avro.io
import avro.schema
from PIL import Image

import segstream_consumer as consumer

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMAS = os.path.normpath(os.path.join(HERE, "..", "..", "schemas"))


def result_dict(schema):
    """A minimal valid result for the given SegmentationResult schema version."""
    r = {"streamId": "cam", "sequence": 3, "captureTimeUs": 100, "captureWallTimeMs": 1000, "resultWallTimeMs": 1040,
         "width": 2, "height": 1, "classNames": ["pet", "background"], "labelMapPng": b"",
         "classFractions": [0.5, 0.5],
         "contours": [{"classIndex": 0, "area": 1.0, "outer": {"xs": [0, 1], "ys": [0, 0]}, "holes": []}],
         "model": {"name": "m", "version": "1"}, "refined": False, "batchSize": 1,
         "timings": {"queueWaitMs": 0.0, "decodeMs": 0.0, "inferenceMs": 1.0, "refineMs": 0.0, "encodeMs": 0.0},
         "endOfStream": False}
    fields = {f.name for f in schema.fields}
    if "contoursDropped" in fields:
        r["contoursDropped"] = False
    if "instances" in fields:
        r["instances"] = [{"id": 9, "classIndex": 0, "area": 1, "box": {"x": 0, "y": 0, "width": 1, "height": 1},
                           "centroidX": 0.5, "centroidY": 0.5, "contourIndex": 0}]
    if "producerVersion" in fields:
        r["producerVersion"] = "1.0"
    return r


def body(schema, datum):
    out = io.BytesIO()
    avro.io.DatumWriter(schema).write(datum, avro.io.BinaryEncoder(out))
    return out.getvalue()


class FakeRegistryHandler(http.server.BaseHTTPRequestHandler):
    schemas = {}
    references = {}
    requests = []

    def do_GET(self):
        FakeRegistryHandler.requests.append(self.path)
        prefix = "/apis/ccompat/v7/schemas/ids/"
        schema_id = int(self.path[len(prefix):]) if self.path.startswith(prefix) else -1
        if schema_id not in FakeRegistryHandler.schemas:
            self.send_response(404)
            self.end_headers()
            self.wfile.write(b'{"error_code":40403,"message":"Schema not found"}')
            return
        payload = json.dumps({"schema": FakeRegistryHandler.schemas[schema_id],
                              "references": FakeRegistryHandler.references.get(schema_id, [])}).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


class DecodeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.schemas = consumer.load_schemas(SCHEMAS)
        with open(os.path.join(SCHEMAS, "SegmentationResult.avsc"), encoding="utf-8") as f:
            cls.current = avro.schema.parse(f.read())

    def test_every_schema_version_is_loaded_by_fingerprint(self):
        files = sorted(os.path.basename(p) for _, p in self.schemas.values())
        self.assertIn("SegmentationResult.avsc", files)
        self.assertIn("SegmentationResult-v1.avsc", files)
        self.assertEqual(len(files), len(self.schemas), "one schema per fingerprint")

    def test_crc64_avro_of_the_specifications_empty_input(self):
        self.assertEqual(consumer.crc64_avro(b""), 0xC15D213AA4D7A795)

    def test_single_object_records_of_every_version_decode(self):
        decoder = consumer.Decoder(self.schemas, None)
        for fingerprint, (schema, path) in self.schemas.items():
            value = consumer.SINGLE_OBJECT_MARKER + fingerprint + body(schema, result_dict(schema))
            decoded = decoder.decode(value)
            self.assertEqual(decoded["sequence"], 3, path)
            self.assertEqual(decoded.get("instances", []) == [], "instances" not in {f.name for f in schema.fields}, path)

    def test_confluent_records_decode_with_the_registrys_schema_fetched_once(self):
        FakeRegistryHandler.schemas = {42: json.dumps(self.current.to_json()), 43: json.dumps(self.current.to_json())}
        FakeRegistryHandler.references = {43: [{"name": "org.segstream.avro.Contour", "subject": "contour", "version": 1}]}
        FakeRegistryHandler.requests = []
        server = http.server.HTTPServer(("127.0.0.1", 0), FakeRegistryHandler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            url = f"http://127.0.0.1:{server.server_port}/apis/ccompat/v7/"
            decoder = consumer.Decoder({}, consumer.Registry(url))
            value = b"\x00" + struct.pack(">I", 42) + body(self.current, result_dict(self.current))
            for _ in range(3):
                decoded = decoder.decode(value)
                self.assertEqual(decoded["streamId"], "cam")
                self.assertEqual(decoded["instances"][0]["id"], 9)
            self.assertEqual(FakeRegistryHandler.requests, ["/apis/ccompat/v7/schemas/ids/42"], "fetched once, cached")
            self.assertEqual(decoder.decoded, {"single-object": 0, "Confluent": 3})
            with self.assertRaisesRegex(consumer.RecordError, "references other schemas \\(contour\\)"):
                decoder.decode(b"\x00" + struct.pack(">I", 43) + body(self.current, result_dict(self.current)))
            with self.assertRaisesRegex(consumer.RecordError, "no schema id 7"):
                decoder.decode(b"\x00" + struct.pack(">I", 7) + b"\x02")
        finally:
            server.shutdown()
            server.server_close()

    def test_a_frame_left_out_to_keep_the_latency_budget_gets_a_line_and_no_png(self):
        skipped = dict(result_dict(self.current), labelMapPng=b"", classFractions=[], contours=[], instances=[],
                       leftOut={"part": "SEGMENTATION", "reason": "the model is\n120 ms behind"})
        grey = io.BytesIO()
        Image.frombytes("L", (2, 1), bytes([0, 1])).save(grey, format="PNG")
        coarse = dict(result_dict(self.current), labelMapPng=grey.getvalue(), instances=[],
                      leftOut={"part": "REFINEMENT", "reason": "late"})
        with tempfile.TemporaryDirectory() as out:
            self.assertEqual(consumer.handle_result(skipped, out),
                             "cam seq=3 2x1 latency=40ms left-out=SEGMENTATION (the model is 120 ms behind)")
            self.assertEqual(os.listdir(out), [])
            self.assertEqual(consumer.handle_result(coarse, out), "cam seq=3 2x1 latency=40ms pet=50.000% "
                             f"background=50.000% contours=1 left-out=REFINEMENT png={os.path.join(out, 'cam-000003.png')}")

    def test_a_line_shows_each_tracked_object_with_its_class_id_and_box(self):
        result = {"streamId": "cam", "sequence": 4, "width": 8, "height": 6, "resultWallTimeMs": 150,
                  "captureWallTimeMs": 100, "classNames": ["pet", "background"], "contours": [],
                  "instances": [{"id": 3, "classIndex": 0, "area": 12, "box": {"x": 1, "y": 2, "width": 4, "height": 3}},
                                {"id": 9, "classIndex": 1, "area": 2, "box": {"x": 0, "y": 0, "width": 1, "height": 2}}]}
        line = consumer.describe(result, [0.25, 0.75], ["cam-000004.png"])
        self.assertIn(" instances=pet#3@1,2,4x3;background#9@0,0,1x2 ", line)

    def test_bad_records_are_record_errors(self):
        decoder = consumer.Decoder(self.schemas, None)
        cases = {
            b"": "empty",
            b"\xc3\x01\x00": "cut short",
            b"\xc3\x01" + b"\x00" * 8 + b"\x02": "unknown schema fingerprint",
            b"\x00\x00\x00": "cut short",
            b"\x00\x00\x00\x00\x01\x02": "no --schema-registry-url",
            b"GIF89a": "unknown framing",
        }
        for value, message in cases.items():
            with self.assertRaisesRegex(consumer.RecordError, message, msg=repr(value)):
                decoder.decode(value)
        fingerprint = next(iter(self.schemas))
        with self.assertRaisesRegex(consumer.RecordError, "does not decode"):
            decoder.decode(consumer.SINGLE_OBJECT_MARKER + fingerprint + b"\x02")


if __name__ == "__main__":
    unittest.main()
