import { defineConfig } from "vitest/config";

// Workspace packages resolve to their TypeScript sources in tests (the `@gauntlet/source`
// export condition), so unit tests never depend on a stale build. End-to-end tests run the
// built bundles instead, exactly as the runner does.
const conditions = ["@gauntlet/source", "node", "import", "module", "default"];

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ["node", "import", "default"] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: [
            "packages/**/src/**/*.test.ts",
            "actions/**/src/**/*.test.ts",
            "fixtures/**/*.test.ts",
            "scripts/**/*.test.ts",
          ],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: "e2e",
          include: ["test/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          pool: "forks",
        },
      },
    ],
  },
});
