import { UserError } from "@gauntlet/core";

/** What an ONNX file says about how it was made. */
export interface OnnxMetadata {
  irVersion: number | null;
  /** The exporter, e.g. `skl2onnx 1.17.0`; `null` when the file does not say. */
  producer: string | null;
  /** Operator set per domain (`""` is the default ONNX domain), e.g. `{ "": 17, "ai.onnx.ml": 3 }`. */
  opsets: Record<string, number>;
}

/**
 * Reads the header fields of an ONNX `ModelProto` (ir_version = 1, producer_name = 2,
 * producer_version = 3, opset_import = 8) straight from the protobuf wire format, skipping the
 * graph without decoding it: onnxruntime-node does not expose them. Bytes that are not protobuf
 * are a {@link UserError} naming `where`.
 *
 * @example
 * readOnnxMetadata(bytes, { file: "models/churn/model.yml", field: "artefact.path" });
 * // { irVersion: 8, producer: "skl2onnx 1.17.0", opsets: { "": 17, "ai.onnx.ml": 3 } }
 */
export function readOnnxMetadata(bytes: Uint8Array, where: { file: string; field: string }): OnnxMetadata {
  const out: OnnxMetadata = { irVersion: null, producer: null, opsets: {} };
  let name = "";
  let version = "";
  try {
    for (const field of fields(bytes, 0, bytes.length)) {
      if (field.number === 1 && field.wire === 0) out.irVersion = field.value;
      else if (field.number === 2 && field.wire === 2) name = text(bytes, field);
      else if (field.number === 3 && field.wire === 2) version = text(bytes, field);
      else if (field.number === 8 && field.wire === 2) {
        let domain = "";
        let opset = 0;
        for (const inner of fields(bytes, field.start, field.end)) {
          if (inner.number === 1 && inner.wire === 2) domain = text(bytes, inner);
          else if (inner.number === 2 && inner.wire === 0) opset = inner.value;
        }
        out.opsets[domain] = opset;
      }
    }
  } catch {
    throw new UserError("not an ONNX model: its bytes are not a protobuf ModelProto", {
      ...where,
      fix: "point the path at the .onnx file your training code exported, copied in binary mode",
    });
  }
  const producer = `${name} ${version}`.trim();
  out.producer = producer === "" ? null : producer;
  return out;
}

interface WireField {
  number: number;
  wire: number;
  /** Varint value (wire type 0). */
  value: number;
  /** Byte range of a length-delimited payload (wire type 2). */
  start: number;
  end: number;
}

function* fields(bytes: Uint8Array, from: number, to: number): Generator<WireField> {
  let at = from;
  const varint = (): number => {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (at >= to) throw new RangeError("truncated varint");
      const byte = bytes[at++]!;
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new RangeError("varint too long");
  };
  while (at < to) {
    const key = varint();
    const wire = key % 8;
    const number = Math.floor(key / 8);
    if (number === 0) throw new RangeError("field number 0");
    if (wire === 0) yield { number, wire, value: varint(), start: 0, end: 0 };
    else if (wire === 2) {
      const length = varint();
      const start = at;
      at += length;
      if (at > to) throw new RangeError("truncated field");
      yield { number, wire, value: 0, start, end: at };
    } else if (wire === 1) at += 8;
    else if (wire === 5) at += 4;
    else throw new RangeError(`unsupported wire type ${wire}`);
    if (at > to) throw new RangeError("truncated field");
  }
}

function text(bytes: Uint8Array, field: WireField): string {
  return new TextDecoder().decode(bytes.subarray(field.start, field.end));
}
