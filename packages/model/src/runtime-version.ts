import * as ort from "onnxruntime-node";

/**
 * The onnxruntime version gauntlet scores with, as onnxruntime reports it.
 *
 * @example
 * onnxruntimeVersion(); // "1.22.0"
 */
export function onnxruntimeVersion(): string {
  return ort.env.versions.node ?? ort.env.versions.common;
}
