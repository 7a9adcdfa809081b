#!/usr/bin/python3
"""Read Segstream's segmentation results from Kafka in Python and save them as PNG images.

Decodes each value of the masks topic in either wire format, recognised per record by its first byte:
  * Avro single-object encoding: C3 01, the writer schema's 8-byte little-endian CRC-64-AVRO fingerprint, the
    Avro body. The writer schema is looked up by fingerprint among the .avsc files of --schemas (and its
    history/ folder): every published version of SegmentationResult.
  * Confluent's wire format: 00, the writer schema's 4-byte big-endian registry id, the Avro body. The schema is
    fetched once per id from --schema-registry-url (GET <url>/schemas/ids/<id>) and cached.

For every result it writes DIR/<stream>-<sequence>.png (the label map as a palette PNG: pixel = class index,
coloured by class) and DIR/<stream>-<sequence>-contours.png (the label map with the contours drawn), and prints
one line. It stops when every stream it saw has sent its end of stream (or the streams of --streams), after
--max-results results, or after --idle-timeout-s seconds without a record.

Needs only Debian packages: python3-confluent-kafka, python3-avro, python3-pil. See README.md beside it.
"""

import argparse
import base64
import io
import json
import os
import re
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

import avro.io
import avro.schema
from confluent_kafka import Consumer, KafkaError, KafkaException
from PIL import Image, ImageDraw

SINGLE_OBJECT_MARKER = b"\xc3\x01"
CONFLUENT_MAGIC = 0
# one colour per class index (pets: pet, background, border), then a repeating spread for more classes
PALETTE = [(230, 80, 60), (40, 40, 48), (250, 210, 60), (70, 150, 230), (120, 200, 90), (190, 90, 200)]
EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


class RecordError(Exception):
    """A record that cannot be decoded: reported and skipped, never fatal."""


# --- CRC-64-AVRO (the Rabin fingerprint of the Avro specification) over the Parsing Canonical Form ---------

_EMPTY64 = 0xC15D213AA4D7A795
_FP_TABLE = []
for _i in range(256):
    _fp = _i
    for _ in range(8):
        _fp = (_fp >> 1) ^ (_EMPTY64 & -(_fp & 1))
    _FP_TABLE.append(_fp & 0xFFFFFFFFFFFFFFFF)


def crc64_avro(data):
    fp = _EMPTY64
    for b in data:
        fp = (fp >> 8) ^ _FP_TABLE[(fp ^ b) & 0xFF]
    return fp


def parsing_fingerprint(schema):
    """The 8 bytes a single-object encoded record carries: CRC-64-AVRO of the canonical form, little-endian."""
    return struct.pack("<Q", crc64_avro(schema.canonical_form.encode("utf-8")))


def load_schemas(directory):
    """Every SegmentationResult schema of DIR/*.avsc and DIR/history/*.avsc, by fingerprint."""
    by_fingerprint = {}
    folders = [directory, os.path.join(directory, "history")]
    for folder in folders:
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if not name.endswith(".avsc"):
                continue
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                try:
                    schema = avro.schema.parse(f.read())
                except Exception as e:  # the avro library raises several kinds; name the file whatever it is
                    raise SystemExit(f"segstream_consumer: cannot parse the schema {path}: {e}")
            if getattr(schema, "fullname", None) == "org.segstream.avro.SegmentationResult":
                by_fingerprint[parsing_fingerprint(schema)] = (schema, path)
    if not by_fingerprint:
        raise SystemExit(f"segstream_consumer: no SegmentationResult schema in {directory} or its history/ folder: "
                         "give --schemas the project's schemas/ directory")
    return by_fingerprint


class Registry:
    """The writer schemas of a Confluent-compatible registry, fetched by id once and kept."""

    def __init__(self, url, timeout_s=10):
        parts = urllib.parse.urlsplit(url)
        self.auth = None
        if parts.username is not None:
            credentials = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
            self.auth = "Basic " + base64.b64encode(credentials.encode("utf-8")).decode("ascii")
            netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
            parts = parts._replace(netloc=netloc)
        self.base = urllib.parse.urlunsplit(parts).rstrip("/")
        self.shown = self.base  # never the credentials
        self.timeout_s = timeout_s
        self.cache = {}

    def schema(self, schema_id):
        if schema_id in self.cache:
            return self.cache[schema_id]
        url = f"{self.base}/schemas/ids/{schema_id}"
        request = urllib.request.Request(url, headers={"Accept": "application/vnd.schemaregistry.v1+json, application/json"})
        if self.auth:
            request.add_header("Authorization", self.auth)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                body = json.load(response)
        except urllib.error.HTTPError as e:
            raise RecordError(f"the registry at {self.shown} has no schema id {schema_id} (HTTP {e.code})")
        except (urllib.error.URLError, OSError, ValueError) as e:
            raise RecordError(f"cannot fetch schema id {schema_id} from the registry at {self.shown}: {e}")
        schema_type = body.get("schemaType", "AVRO")
        if schema_type != "AVRO":
            raise RecordError(f"schema id {schema_id} is {schema_type}, not Avro")
        if body.get("references"):
            # Segstream's schemas are self-contained; a schema built from others is not one of ours
            raise RecordError(f"schema id {schema_id} references other schemas "
                              f"({', '.join(str(r.get('subject')) for r in body['references'])}), "
                              "which this example does not resolve")
        try:
            schema = avro.schema.parse(body["schema"])
        except Exception as e:
            raise RecordError(f"schema id {schema_id} from the registry does not parse: {e}")
        self.cache[schema_id] = schema
        return schema


class Decoder:
    """Values of the masks topic in either wire format, to dicts (fields missing in older schemas get defaults)."""

    def __init__(self, schemas, registry):
        self.schemas = schemas
        self.registry = registry
        self.decoded = {"single-object": 0, "Confluent": 0}  # records per wire format, to follow a migration

    def decode(self, value):
        if value is None or len(value) == 0:
            raise RecordError("empty value (a tombstone)")
        if value[:2] == SINGLE_OBJECT_MARKER:
            if len(value) < 10:
                raise RecordError(f"single-object header cut short ({len(value)} bytes)")
            fingerprint = value[2:10]
            if fingerprint not in self.schemas:
                raise RecordError(f"unknown schema fingerprint {fingerprint.hex()} (not among the schemas given): "
                                  "is --schemas the producer's schemas/ directory, history/ included?")
            schema = self.schemas[fingerprint][0]
            body = value[10:]
            wire_format = "single-object"
        elif value[0] == CONFLUENT_MAGIC:
            if len(value) < 5:
                raise RecordError(f"Confluent header cut short ({len(value)} bytes)")
            if self.registry is None:
                raise RecordError("a Confluent-framed record, but no --schema-registry-url was given")
            schema_id = struct.unpack(">I", value[1:5])[0]
            schema = self.registry.schema(schema_id)
            if getattr(schema, "fullname", None) != "org.segstream.avro.SegmentationResult":
                raise RecordError(f"schema id {schema_id} is {getattr(schema, 'fullname', schema.type)}, "
                                  "not a SegmentationResult")
            body = value[5:]
            wire_format = "Confluent"
        else:
            raise RecordError(f"unknown framing: first byte 0x{value[0]:02x} (expected C3 01 or 00)")
        reader = avro.io.DatumReader(schema)
        try:
            decoder = avro.io.BinaryDecoder(io.BytesIO(body))
            datum = reader.read(decoder)
        except Exception as e:  # the avro library raises several kinds on a bad body
            raise RecordError(f"the Avro body does not decode: {type(e).__name__}: {e}")
        self.decoded[wire_format] += 1
        return datum


def colour(index):
    if index < len(PALETTE):
        return PALETTE[index]
    return ((index * 67) % 256, (index * 151) % 256, (index * 199) % 256)


def safe_file_name(text):
    """As segstream tail names its files: anything but letters, digits, . _ - becomes _."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", text)[:64]
    return "_" + safe if safe == "" or set(safe) == {"."} else safe


def label_map(result):
    """The label map PNG as an 8-bit image at frame size; fails when it is not one."""
    try:
        image = Image.open(io.BytesIO(result["labelMapPng"]))
        image.load()
    except Exception as e:  # PIL raises several kinds on a bad image
        raise RecordError(f"labelMapPng is not a PNG: {e}")
    if image.mode not in ("L", "P"):
        raise RecordError(f"labelMapPng has mode {image.mode}, expected 8-bit grey")
    if image.size != (result["width"], result["height"]):
        raise RecordError(f"labelMapPng is {image.size[0]}x{image.size[1]}, the frame {result['width']}x{result['height']}")
    return image.convert("L") if image.mode == "P" else image


def save_pngs(result, labels, out_dir):
    """DIR/<stream>-<seq>.png (palette: pixel = class index) and DIR/<stream>-<seq>-contours.png (RGB)."""
    classes = max(len(result["classNames"]), 1)
    palette = []
    for k in range(256):
        palette.extend(colour(k) if k < classes else (0, 0, 0))
    # a palette image: the pixels stay the class indices, the palette shows them in colour
    coloured = Image.frombytes("P", labels.size, labels.tobytes())
    coloured.putpalette(palette)
    stem = f"{safe_file_name(result['streamId'])}-{result['sequence']:06d}"
    map_file = os.path.join(out_dir, stem + ".png")
    coloured.save(map_file, format="PNG")

    drawn = Image.blend(coloured.convert("RGB"), Image.new("RGB", labels.size, (0, 0, 0)), 0.4)
    pen = ImageDraw.Draw(drawn)
    for contour in result["contours"]:
        outline = colour(contour["classIndex"])
        bright = tuple(min(255, c + 90) for c in outline)
        for polygon, fill in [(contour["outer"], bright)] + [(h, (255, 255, 255)) for h in contour["holes"]]:
            points = list(zip(polygon["xs"], polygon["ys"]))
            if len(points) >= 2:
                pen.line(points + [points[0]], fill=fill, width=1)
            elif points:
                pen.point(points, fill=fill)
    contours_file = os.path.join(out_dir, stem + "-contours.png")
    drawn.save(contours_file, format="PNG")
    return map_file, contours_file


def pixel_shares(labels, classes):
    histogram = labels.histogram()  # 256 counts of an L image
    total = labels.size[0] * labels.size[1]
    return [histogram[k] / total if total else 0.0 for k in range(classes)]


def left_out(result):
    """What the processor left out of the frame to keep its latency budget (field of schema v3+), or None."""
    return result.get("leftOut")


def handle_result(result, out_dir):
    """Writes the PNGs of a result (none for a frame the processor did not segment) and returns its line."""
    skipped = left_out(result)
    if skipped and skipped["part"] == "SEGMENTATION":
        # no label map and no contours: the processor skipped the model to keep its latency budget
        latency = result["resultWallTimeMs"] - result["captureWallTimeMs"]
        reason = re.sub(r"\s+", " ", skipped["reason"])
        return (f"{result['streamId']} seq={result['sequence']} {result['width']}x{result['height']} latency={latency}ms "
                f"left-out=SEGMENTATION ({reason})")
    labels = label_map(result)
    files = save_pngs(result, labels, out_dir)
    return describe(result, pixel_shares(labels, len(result["classNames"])), files)


def instance_text(instance, class_names):
    """<class>#<id>@<x>,<y>,<w>x<h>: a tracked object, its id stable across the stream's frames."""
    k = instance["classIndex"]
    name = re.sub(r"[^A-Za-z0-9._-]", "_", class_names[k]) if 0 <= k < len(class_names) else f"class{k}"
    b = instance["box"]
    return f"{name}#{instance['id']}@{b['x']},{b['y']},{b['width']}x{b['height']}"


def describe(result, shares, files):
    """One line: <stream> seq=<n> <w>x<h> latency=<ms>ms <class>=<share>% ... contours=<n>
    [instances=<class>#<id>@<x>,<y>,<w>x<h>;...] [left-out=<part>] png=<file>."""
    latency = result["resultWallTimeMs"] - result["captureWallTimeMs"]
    parts = [f"{result['streamId']} seq={result['sequence']} {result['width']}x{result['height']} latency={latency}ms"]
    for name, share in zip(result["classNames"], shares):
        parts.append(f"{re.sub(r'[^A-Za-z0-9._-]', '_', name)}={100 * share:.3f}%")
    parts.append(f"contours={len(result['contours'])}")
    instances = result.get("instances") or []
    if instances:
        parts.append("instances=" + ";".join(instance_text(i, result["classNames"]) for i in instances))
    if left_out(result):
        parts.append(f"left-out={left_out(result)['part']}")
    parts.append(f"png={files[0]}")
    return " ".join(parts)


def parse_args(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser(description="Read Segstream results from Kafka (either wire format) and save them as PNGs.")
    p.add_argument("--bootstrap-servers", default="127.0.0.1:9092", help="Kafka bootstrap servers (default %(default)s)")
    p.add_argument("--topic", default="segstream.masks", help="the results topic (default %(default)s)")
    p.add_argument("--schemas", default=os.path.normpath(os.path.join(here, "..", "..", "schemas")),
                   help="the directory of the .avsc files with their history/ folder (default: the project's, %(default)s)")
    p.add_argument("--schema-registry-url", help="a Confluent-compatible registry for Confluent-framed records, "
                   "e.g. http://HOST:8080/apis/ccompat/v7 (user:password@ in the URL for basic auth)")
    p.add_argument("--out", default="out/python", help="where to write the PNGs (default %(default)s)")
    p.add_argument("--from-beginning", action="store_true", help="start at the oldest record, not the next new one")
    p.add_argument("--streams", help="comma-separated stream ids to wait for: stop when each has ended "
                   "(default: every stream seen)")
    p.add_argument("--max-results", type=int, default=0, help="stop after N results, end-of-stream markers not counted "
                   "(default 0: no limit)")
    p.add_argument("--idle-timeout-s", type=float, default=0, help="stop when no record arrives for S seconds "
                   "(default 0: wait)")
    p.add_argument("--kafka", action="append", default=[], metavar="KEY=VALUE",
                   help="an extra librdkafka setting (SASL, TLS...), repeatable")
    args = p.parse_args(argv)
    if args.max_results < 0 or args.idle_timeout_s < 0:
        p.error("--max-results and --idle-timeout-s must be 0 or more")
    for setting in args.kafka:
        if "=" not in setting:
            p.error(f"--kafka {setting}: give KEY=VALUE")
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    schemas = load_schemas(args.schemas)
    registry = Registry(args.schema_registry_url) if args.schema_registry_url else None
    decoder = Decoder(schemas, registry)
    os.makedirs(args.out, exist_ok=True)
    config = {
        "bootstrap.servers": args.bootstrap_servers,
        "group.id": f"segstream-python-{uuid.uuid4()}",  # a fresh group: every run sees the topic on its own
        "auto.offset.reset": "earliest" if args.from_beginning else "latest",
        "enable.auto.commit": False,
        "isolation.level": "read_committed",  # results of committed transactions only
    }
    config.update(dict(s.split("=", 1) for s in args.kafka))
    consumer = Consumer(config)
    consumer.subscribe([args.topic])
    expected = set(args.streams.split(",")) if args.streams else None
    seen, ended = set(), set()
    results = skipped = not_segmented = 0
    last_arrival = time.monotonic()
    print(f"reading {args.topic} at {args.bootstrap_servers} with {len(schemas)} schema version(s)"
          f"{' and the registry at ' + registry.shown if registry else ''}; PNGs into {args.out}", flush=True)
    try:
        while True:
            message = consumer.poll(0.5)
            if message is None:
                if args.idle_timeout_s and time.monotonic() - last_arrival > args.idle_timeout_s:
                    print(f"no record for {args.idle_timeout_s:g} s: stopping", flush=True)
                    break
                continue
            if message.error():
                if message.error().code() == KafkaError._PARTITION_EOF:
                    continue
                raise KafkaException(message.error())
            last_arrival = time.monotonic()
            position = f"{message.topic()}-{message.partition()}@{message.offset()}"
            try:
                result = decoder.decode(message.value())
                stream = result["streamId"]
                seen.add(stream)
                if result.get("endOfStream"):
                    ended.add(stream)
                    print(f"{stream} seq={result['sequence']} end-of-stream", flush=True)
                else:
                    line = handle_result(result, args.out)
                    if not line.endswith(".png"):
                        not_segmented += 1
                    print(line, flush=True)
                    results += 1
            except RecordError as e:
                skipped += 1
                print(f"skipping {position}: {e}", file=sys.stderr, flush=True)
                continue
            if args.max_results and results >= args.max_results:
                break
            waiting_for = expected if expected is not None else seen
            if waiting_for and waiting_for <= ended:
                break
    finally:
        consumer.close()
    print(f"{results} results, {len(ended)} stream(s) ended, {skipped} record(s) skipped; {not_segmented} not segmented "
          f"(latency budget); records decoded: "
          f"{decoder.decoded['single-object']} single-object, {decoder.decoded['Confluent']} Confluent", flush=True)
    return EXIT_OK


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KafkaException as e:
        print(f"segstream_consumer: Kafka failed: {e}", file=sys.stderr)
        sys.exit(EXIT_FAILURE)
    except KeyboardInterrupt:
        sys.exit(EXIT_OK)
