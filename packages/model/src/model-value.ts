import type * as ort from "onnxruntime-node";

/** A dimension of a declared shape: a fixed size, or a symbolic name such as `"N"` (the batch). */
export type Dim = number | string;

/**
 * One input or output of an ONNX model as the model itself declares it. Non-tensor values are
 * sequences or maps, such as the ZipMap probabilities scikit-learn converters emit by default.
 */
export type ModelValue =
  | { name: string; isTensor: true; elementType: ort.Tensor.Type; shape: readonly Dim[] }
  | { name: string; isTensor: false };

/**
 * Converts onnxruntime's value metadata into a {@link ModelValue}.
 *
 * @example
 * modelValue(session.inputMetadata[0]!);
 * // { name: "numeric", isTensor: true, elementType: "float32", shape: ["N", 5] }
 */
export function modelValue(meta: ort.InferenceSession.ValueMetadata): ModelValue {
  if (!meta.isTensor) return { name: meta.name, isTensor: false };
  return { name: meta.name, isTensor: true, elementType: meta.type, shape: [...meta.shape] };
}

/**
 * How a value reads in a message: name, element type and shape with symbolic dimensions.
 *
 * @example
 * describeValue({ name: "numeric", isTensor: true, elementType: "float32", shape: ["N", 5] });
 * // "numeric (float32 [N, 5])"
 */
export function describeValue(value: ModelValue): string {
  if (!value.isTensor) return `${value.name} (not a tensor: a sequence or map)`;
  const shape = value.shape.length === 0 ? "shape not declared" : `[${value.shape.join(", ")}]`;
  return `${value.name} (${value.elementType} ${shape})`;
}

/**
 * The names of values as a list for messages.
 *
 * @example
 * listValues([{ name: "label", isTensor: true, elementType: "int64", shape: ["N"] }]); // "label (int64 [N])"
 */
export function listValues(values: readonly ModelValue[]): string {
  return values.map(describeValue).join(", ");
}
