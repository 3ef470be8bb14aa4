import { describe, expect, it } from "vitest";
import { escapeHtml, safeHref } from "./escape-html.js";

describe("escapeHtml", () => {
  it("turns every character that could open a tag, an attribute or an entity into an entity", () => {
    expect(escapeHtml(`<script>alert("x")</script>`)).toBe(
      "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;",
    );
    expect(escapeHtml(`" onload="alert(1)`)).toBe("&quot; onload=&quot;alert(1)");
    expect(escapeHtml(`' onmouseover='x`)).toBe("&#39; onmouseover=&#39;x");
    expect(escapeHtml("&lt;")).toBe("&amp;lt;");
  });

  it("keeps text that is not markup as it is, mentions included (HTML pings nobody)", () => {
    expect(escapeHtml("@acme/risk-leads churn v1.2.0 — région=AÉ")).toBe(
      "@acme/risk-leads churn v1.2.0 — région=AÉ",
    );
  });
});

describe("safeHref", () => {
  it("keeps https URLs and paths inside the site, escaped", () => {
    expect(safeHref("https://github.com/acme/models/issues/7")).toBe(
      "https://github.com/acme/models/issues/7",
    );
    expect(safeHref("models/churn/v1.2.0.html")).toBe("models/churn/v1.2.0.html");
    expect(safeHref(`../index.html?a=1&b="2"`)).toBe("../index.html?a=1&amp;b=&quot;2&quot;");
  });

  it("refuses script, data and protocol-relative URLs", () => {
    expect(safeHref("javascript:alert(1)")).toBeUndefined();
    expect(safeHref(" JavaScript:alert(1)")).toBeUndefined();
    expect(safeHref("data:text/html,<script>")).toBeUndefined();
    expect(safeHref("//evil.example/x")).toBeUndefined();
    expect(safeHref("http://insecure.example")).toBeUndefined();
  });
});
