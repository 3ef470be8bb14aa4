import { describe, expect, it } from "vitest";
import { columnsWithUnderscores, UnderscoreFields } from "./underscore-fields.js";

/** The scan of `text` cut into chunks of `size` bytes. */
function scan(text: string, size: number, delimiter = ","): Map<number, number> | undefined {
  const fields = new UnderscoreFields(delimiter);
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) fields.add(bytes.subarray(i, i + size));
  fields.end();
  return fields.lines();
}

describe("UnderscoreFields", () => {
  const csv = "id,plan_name,n,m\n1,prepaid_basic,3,4\n2,x_y_z,4_0,5\r\n3,a,,6_\n";

  it.each([1, 2, 3, 7, 1024])(
    "counts each field's lines with an underscore, in chunks of %i bytes",
    (size) => {
      expect(scan(csv, size)).toEqual(
        new Map([
          [1, 3],
          [2, 1],
          [3, 1],
        ]),
      );
    },
  );

  it("counts what a line-by-line split counts, on random lines in random chunks", () => {
    // Seeded: fields of letters, underscores and nothing; \n and \r\n line ends; long lines.
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let round = 0; round < 200; round++) {
      const lines = Array.from({ length: 1 + Math.floor(random() * 12) }, () =>
        Array.from({ length: 1 + Math.floor(random() * 6) }, () =>
          Array.from({ length: Math.floor(random() * (random() < 0.1 ? 40 : 4)) }, () =>
            random() < 0.3 ? "_" : "a",
          ).join(""),
        ).join(","),
      );
      const text = lines.map((line) => `${line}${random() < 0.3 ? "\r\n" : "\n"}`).join("");
      const expected = new Map<number, number>();
      for (const line of lines) {
        line.split(",").forEach((field, f) => {
          if (field.includes("_")) expected.set(f, (expected.get(f) ?? 0) + 1);
        });
      }
      expect(scan(text, 1 + Math.floor(random() * 30))).toEqual(expected);
    }
  });

  it("counts fields at the file's delimiter", () => {
    expect(scan("a\tb\n1\t2_0\n", 4, "\t")).toEqual(new Map([[1, 1]]));
    expect(scan("a\tb\n1,x\t2\n_,1\t3\n", 4, "\t")).toEqual(new Map([[0, 1]]));
  });

  it("gives no answer for a file with quotes, a lone carriage return, or not scanned to its end", () => {
    expect(scan('a,b\n"x,_",1\n', 3)).toBeUndefined();
    expect(scan("a,b\r1,2_0\r", 3)).toBeUndefined();
    expect(scan("a,b\r", 3)).toEqual(new Map());
    expect(scan("a,b\r1,2\n", 4)).toBeUndefined();
    const unfinished = new UnderscoreFields(",");
    unfinished.add(Buffer.from("a,b\n1,2\n"));
    expect(unfinished.lines()).toBeUndefined();
  });
});

describe("columnsWithUnderscores", () => {
  it("names the columns with an underscore below the header", () => {
    const lines = new Map([
      [0, 1],
      [1, 2],
      [2, 1],
    ]);
    expect(columnsWithUnderscores(["a_b", "plan_name", "n"], lines)).toEqual(new Set(["plan_name", "n"]));
    expect(columnsWithUnderscores(["a", "b"], undefined)).toBeUndefined();
  });
});
