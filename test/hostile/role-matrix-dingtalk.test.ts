// The role matrix (test/hostile/role-matrix.ts) on DingTalk: the Stream client and the gateway.
import { dingtalk } from "../support/role-surfaces.ts";
import { roleMatrix } from "./role-matrix.ts";

roleMatrix(dingtalk);
