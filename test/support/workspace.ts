import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

/** A throwaway checkout of a model repository, as `actions/checkout` leaves it. */
export interface Workspace {
  dir: string;
  write(path: string, content: string | Uint8Array): string;
  path(path: string): string;
  remove(): void;
}

/**
 * Creates an empty workspace in the system temp directory.
 *
 * @example
 * const ws = createWorkspace();
 * ws.write("models/churn/model.yml", yaml);
 */
export function createWorkspace(prefix = "gauntlet-ws-"): Workspace {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write(path, content) {
      const full = join(dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
      return full;
    },
    path: (path) => join(dir, path),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
