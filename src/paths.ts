// Where the project's own files are, independent of the working directory.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const DEMO_ORG_FILE = path.join(ROOT, "prisma", "org.demo.yaml");
export const MIGRATIONS_DIR = path.join(ROOT, "prisma", "migrations");
