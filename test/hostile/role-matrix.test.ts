// The role matrix (test/hostile/role-matrix.ts: every action by every role and a stranger) on the playground. WeCom and
// DingTalk run the same table in role-matrix-wecom.test.ts and role-matrix-dingtalk.test.ts, in parallel with this one.
import { playground } from "../support/role-surfaces.ts";
import { roleMatrix } from "./role-matrix.ts";

roleMatrix(playground);
