// The role matrix (test/hostile/role-matrix.ts) on WeCom: encrypted callbacks in, the API simulator out.
import { wecom } from "../support/role-surfaces.ts";
import { roleMatrix } from "./role-matrix.ts";

roleMatrix(wecom);
