import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { isUserError, type UserError } from "@gauntlet/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firstInvalidUtf8 } from "./sniff-encoding.js";
import { readTextChunks } from "./text-chunks.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "gauntlet-text-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const CSV = "customer_id,age,region\nc1,31,AE\nc2,45,SA\n";

/** The error of reading `bytes` written as `name`; the file is shown as `data/<name>`. */
async function errorFor(name: string, bytes: Uint8Array | string): Promise<UserError> {
  await writeFile(join(dir, name), bytes);
  try {
    for await (const _ of readTextChunks(join(dir, name), `data/${name}`));
  } catch (error) {
    if (isUserError(error)) return error;
    throw error;
  }
  throw new Error("expected readTextChunks to fail");
}

describe("readTextChunks on files that are not UTF-8 text", () => {
  it("recognises a gzip file named .csv and says to decompress it, not to convert from Latin-1", async () => {
    const error = await errorFor("eval.csv", gzipSync(CSV));
    expect(error.message).toBe(
      "data/eval.csv: is gzip-compressed, not text: it starts with the gzip signature 1f 8b. " +
        "Fix: name it data/eval.csv.gz (gzip files are read by that name), or decompress it in an earlier step (`gunzip -c data/eval.csv > plain.csv`) and point at the plain file",
    );
    expect(error.fix).not.toContain("latin1");
    const jsonl = await errorFor("log.jsonl", gzipSync('{"id": 1}\n'));
    expect(jsonl.fix).toContain("`gunzip -c data/log.jsonl > plain.jsonl`");
  });

  it("recognises UTF-16 with either byte order mark, and without one", async () => {
    const little = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CSV, "utf16le")]);
    const big = Buffer.from(little).swap16();
    const bare = Buffer.from(CSV, "utf16le");
    for (const [name, bytes, how] of [
      ["le.csv", little, "it starts with a UTF-16 byte order mark"],
      ["be.csv", big, "it starts with a UTF-16 byte order mark"],
      ["bare.csv", bare, "every other byte is NUL"],
    ] as const) {
      const error = await errorFor(name, bytes);
      expect(error.problem).toBe(`is UTF-16 text (${how}), not UTF-8`);
      expect(error.fix).toContain(`iconv -f UTF-16 -t UTF-8 data/${name} > utf8.csv`);
    }
  });

  it("recognises zstd, Parquet and ZIP (xlsx) files by their signatures", async () => {
    const zstd = await errorFor("z.csv", Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]));
    expect(zstd.problem).toContain("is zstd-compressed");
    expect(zstd.fix).toContain("zstd -dc data/z.csv");
    const parquet = await errorFor("p.csv", Buffer.from("PAR1\x15\x04\x15\0\0", "latin1"));
    expect(parquet.fix).toBe("give it a .parquet extension");
    const zip = await errorFor("x.csv", Buffer.from("PK\x03\x04\x14\0\x06\0", "latin1"));
    expect(zip.problem).toContain("ZIP archive");
  });

  it("keeps the NUL-byte error for other binary files", async () => {
    const error = await errorFor("bin.csv", Buffer.from("id,age\n1,\0\0\x01\x02\n", "latin1"));
    expect(error.problem).toBe("is not UTF-8 text: it holds a NUL byte at byte 9");
  });

  it("gives the line of the first byte that is not UTF-8, also past the first chunk", async () => {
    const near = await errorFor("latin1.csv", Buffer.from("city\nDubai\nCaf\xe9\nS\xe3o Paulo\n", "latin1"));
    expect(near.line).toBe(3);
    expect(near.message).toBe(
      "data/latin1.csv:3: is not valid UTF-8 text: line 3 holds the byte e9, which UTF-8 does not allow there. " +
        "Fix: save the file as UTF-8 text, e.g. `iconv -f latin1 -t utf-8 in.csv > out.csv` for Latin-1",
    );
    // 40,000 lines of 40 bytes (1.6 MB) put the bad byte in the second 1 MiB chunk.
    const lines = Array.from(
      { length: 40_000 },
      (_, i) => `c${String(i).padStart(8, "0")},${"x".repeat(29)}`,
    );
    lines[30_000] = `c30000,Caf\xe9`;
    const far = await errorFor("far.csv", Buffer.from(`id,name\n${lines.join("\n")}\n`, "latin1"));
    expect(far.line).toBe(30_002);
    // A character cut off by the end of the file.
    const cut = await errorFor(
      "cut.csv",
      Buffer.concat([Buffer.from("id\n1\n2"), Buffer.from([0xe2, 0x82])]),
    );
    expect(cut.problem).toBe("is not valid UTF-8 text: line 3 holds an incomplete UTF-8 character");
  });
});

describe("firstInvalidUtf8", () => {
  it("finds the first byte that cannot be UTF-8 and accepts valid multi-byte characters", () => {
    expect(firstInvalidUtf8(Buffer.from("Café – 東京 😀"))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from("Caf\xe9!", "latin1"))).toBe(3);
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xc0, 0x80]))).toBe(1); // overlong
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xed, 0xa0, 0x80]))).toBe(1); // surrogate
    // Continuation bytes at the start finish a character of the previous chunk.
    expect(firstInvalidUtf8(Buffer.from([0x82, 0xac, 0x41]))).toBe(-1);
    // A character cut off at the end continues in the next chunk.
    expect(firstInvalidUtf8(Buffer.from([0x41, 0xe2, 0x82]))).toBe(-1);
  });
});
