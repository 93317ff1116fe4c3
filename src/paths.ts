// Where the project's own files are, independent of the working directory.
import path from "node:path";
import { fileURLToPath } from "node:url";

// This file is src/paths.ts when run from the sources (tsx) and dist/src/paths.js when built (`npm run build`):
// either way ROOT is the project folder, where prisma/ (demo organisation file, migrations) and node_modules/ are.
const UP = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const ROOT = path.basename(UP) === "dist" ? path.dirname(UP) : UP;
export const DEMO_ORG_FILE = path.join(ROOT, "prisma", "org.demo.yaml");
export const MIGRATIONS_DIR = path.join(ROOT, "prisma", "migrations");
