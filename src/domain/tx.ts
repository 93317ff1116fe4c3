// The database handle services and repos receive: the client itself or an open transaction.
// Handlers pass it through without knowing what it is.
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";

export type Tx = Prisma.TransactionClient;
export type DbClient = PrismaClient;
export { Prisma } from "../generated/prisma/client.ts";
