import { AppError } from "../../src/core/app-error.ts";

/** The AppError a refused domain call throws (anything else, or no error, fails the test). */
export async function fails(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => null, (err: unknown) => err);
  if (!(e instanceof AppError)) throw new Error(`expected an AppError, got ${String(e)}`);
  return e;
}
