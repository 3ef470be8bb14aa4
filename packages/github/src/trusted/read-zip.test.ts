import { deflateRawSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { writeZip } from "../../../../test/support/zip.js";
import { readZip, ZipError } from "./read-zip.js";

const limits = { maxBytes: 1_000_000, maxEntries: 100 };

describe("readZip", () => {
  it("reads every file back as written", () => {
    const files = { "churn/evaluation.json": '{"rows":5000}', "churn/evaluation.md": "### Evaluation\n" };
    const entries = readZip(writeZip(files), limits);
    expect(entries.map((e) => [e.name, e.data.toString()])).toEqual(Object.entries(files));
  });

  it("stops a zip bomb at the byte limit while inflating, whatever sizes it declares", () => {
    const zip = writeZip({ "bomb.json": Buffer.alloc(5_000_000) });
    expect(deflateRawSync(Buffer.alloc(5_000_000)).length).toBeLessThan(10_000);
    expect(() => readZip(zip, limits)).toThrow(new ZipError("it unpacks to more than 1000000 bytes"));
  });

  it("counts the limit over all files together", () => {
    const zip = writeZip({ "a.json": Buffer.alloc(600_000), "b.json": Buffer.alloc(600_000) });
    expect(() => readZip(zip, limits)).toThrow(/more than 1000000 bytes/);
  });

  it("refuses too many entries, a damaged archive and something that is not a zip", () => {
    const many = writeZip(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`f${i}.json`, "{}"])));
    expect(() => readZip(many, limits)).toThrow("it has 101 entries; at most 100");
    const zip = writeZip({ "a.json": "{}" });
    const cut = zip.subarray(0, 20);
    expect(() => readZip(cut, limits)).toThrow("it is not a zip archive");
    const damaged = Buffer.from(zip);
    damaged.writeUInt32LE(0, 0); // the local header of the only entry
    expect(() => readZip(damaged, limits)).toThrow("the entry of a.json is damaged");
  });
});
