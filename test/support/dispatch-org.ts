// An organisation file for the dispatch suites: the demo organisation plus a DingTalk id for the admin (so the
// role matrix can try the admin on DingTalk too) and, optionally, a warehouse route for cables (CABLE-10) to a
// WeCom app chat and/or a DingTalk group. Written to a fresh temporary file; pass it as ORG_FILE.
import { demoOrgWith } from "./demo-org.ts";

export function dispatchOrgFile(route: { wecomChat?: string; dingtalkGroup?: string } = {}): string {
  const targets = [route.wecomChat ? `wecomChat: ${route.wecomChat}` : "", route.dingtalkGroup ? `dingtalkGroup: "${route.dingtalkGroup}"` : ""].filter(Boolean);
  const routes = targets.length ? `\nwarehouse:\n  routes:\n    - { skus: [CABLE-10], ${targets.join(", ")} }\n` : "";
  return demoOrgWith([["{ id: admin, name: 管理员, roles: [admin], wecom: Admin }", '{ id: admin, name: 管理员, roles: [admin], wecom: Admin, dingtalk: "0501" }']], routes);
}
