// What a directory sync changed, as the admin reads it in chat and `npm run sync` prints it: counts and names.

export interface SyncSummaryView {
  platforms: string[];
  added: { name: string }[];
  updated: { name: string }[];
  reactivated: { name: string }[];
  deactivated: { name: string }[];
  fileOnly: { name: string }[];
  handedOver: { fromName: string; toName: string; customers: number; tasks: number }[];
  /** Left with customers or follow-ups, but nobody active above them and no fallbackManager. */
  unassigned: { name: string }[];
  /** Address books that could not be read (nothing of theirs changed). */
  failed: { platform: string; error: string }[];
}

const PLATFORM: Record<string, string> = { wecom: "企业微信", dingtalk: "钉钉" };
const names = (xs: { name: string }[]) => (xs.length ? `：${xs.slice(0, 20).map((x) => x.name).join("、")}${xs.length > 20 ? ` 等${xs.length}人` : ""}` : "");

export function directorySyncText(v: SyncSummaryView): string {
  const read = v.platforms.map((p) => PLATFORM[p] ?? p).join("、") || "无";
  const lines = [
    `通讯录同步完成（${read}）`,
    `新增 ${v.added.length} 人${names(v.added)}`,
    `更新 ${v.updated.length} 人${names(v.updated)}`,
    `停用 ${v.deactivated.length} 人${names(v.deactivated)}`,
  ];
  if (v.reactivated.length) lines.push(`重新启用 ${v.reactivated.length} 人${names(v.reactivated)}`);
  for (const h of v.handedOver) lines.push(`${h.fromName}的${h.customers}个客户和${h.tasks}项待办已交给${h.toName}`);
  if (v.unassigned.length) lines.push(`无人接手（没有在职上级，也没有设置 fallbackManager）${names(v.unassigned)}，请用「转交 某人 的客户 给 某人」处理`);
  if (v.fileOnly.length) lines.push(`组织文件里有、通讯录里没有 ${v.fileOnly.length} 人${names(v.fileOnly)}（以组织文件为准；已离职请从组织文件删除）`);
  for (const f of v.failed) lines.push(`${PLATFORM[f.platform] ?? f.platform}通讯录读取失败，未做任何改动：${f.error.slice(0, 120)}`);
  return lines.join("\n");
}
