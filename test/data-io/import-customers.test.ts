// Customer import: every bad row named with its line and reason, nothing written until the whole file is clean,
// duplicates merged (in the file and against existing customers, by normalised company name), owners matched by
// name or account, Chinese stage and level labels, both file formats and the encodings Excel writes; the same
// file twice changes nothing the second time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDeps } from "../../src/cli/data-io.routes.ts";
import { importFile } from "../../src/domain/data-io/import.service.ts";
import { normalizeCompanyName } from "../../src/nlu/index.ts";
import { encodeGbk } from "./gbk.ts";
import { auditCount, NOW, orgDb, xlsxOf, type OrgDb } from "./setup.ts";

let o: OrgDb;
beforeAll(async () => {
  o = await orgDb();
});
afterAll(() => o.db.destroy());

const BAD = [
  "客户名称,联系人,电话,负责人,阶段,地区,等级,地址,备注,来源渠道",
  "上海华东机电设备有限公司,王经理,138-0013-8000,张三,方案报价,上海,A,上海市浦东新区张江路1号,老客户,展会",
  ",赵总,13700000000,李四,,,,,,",
  "杭州天阳科技有限公司,周总,abc,王小二,报价中,浙江,D,,,",
  "宁波东方轴承有限公司,钱经理,13800000001,chenqi,线索,浙江,B,,,",
].join("\n");

describe("a file with bad rows", () => {
  it("dry run: every bad row with its line number and reason in Chinese, nothing written", async () => {
    const before = { customers: await o.db.prisma.customer.count(), audit: await auditCount(o.db) };
    const r = await o.run({ kind: "customers", bytes: BAD, fileName: "客户.csv", dryRun: true });
    expect(r.status).toBe("dry_run");
    expect(r.problems).toEqual([
      { line: 3, message: "缺少客户名称" },
      { line: 4, message: "负责人「王小二」不在组织里（按姓名或账号都没有找到）" },
      { line: 4, message: expect.stringContaining("阶段「报价中」不认识") },
      { line: 4, message: "级别「D」不认识（只能是 A、B 或 C）" },
      { line: 4, message: expect.stringContaining("电话「abc」不像电话号码") },
      { line: 5, message: "负责人「chenqi」不是销售，不能负责客户" },
    ]);
    expect(r.unknownColumns).toEqual(["来源渠道"]);
    expect(r.columns.find((c) => c.header === "备注")).toMatchObject({ field: null, note: expect.stringContaining("未导入") });
    expect(r.counts.created).toBe(1); // what a clean run of the good rows would do
    expect({ customers: await o.db.prisma.customer.count(), audit: await auditCount(o.db) }).toEqual(before);
  });

  it("real run refuses the whole file: not even the good row is written", async () => {
    const before = { customers: await o.db.prisma.customer.count(), contacts: await o.db.prisma.contact.count(), audit: await auditCount(o.db) };
    const r = await o.run({ kind: "customers", bytes: BAD, fileName: "客户.csv", dryRun: false });
    expect(r.status).toBe("refused");
    expect(r.problems.map((p) => p.line)).toEqual([3, 4, 4, 4, 4, 5]);
    expect(r.runId).toBeUndefined();
    expect({ customers: await o.db.prisma.customer.count(), contacts: await o.db.prisma.contact.count(), audit: await auditCount(o.db) }).toEqual(before);
  });
});

describe("a clean file", () => {
  let existingId: string;
  const FILE = [
    "2026年客户清单", // a title line above the header, as many sheets have
    "公司名称,联系人,职位,手机,归属销售,客户阶段,省份,城市,级别,收货地址,标签,简称",
    "上海华东机电设备有限公司,王经理,采购经理,13800138000,张三,方案报价,上海,,A级,上海市浦东新区张江路1号,重点、老客户,",
    "华东机电,李工,技术,13900001111,,,,,,,展会,", // the same company (简称): merged, its contact and tag added
    "宁波东方轴承有限公司,钱经理,,13800000001,lisi,已接触,浙江,宁波,B,,,东方轴承",
    "（苏州）恒力泵业有限公司,,,0512-66668888,,商务谈判,,,,,,", // a phone with no contact name; no owner → pool
    "常州远大电气有限公司,孙总,,,wangwu,成交,江苏,常州,C,,,", // the same as an existing customer
  ].join("\r\n");

  beforeAll(async () => {
    const c = await o.db.prisma.customer.create({ data: { name: "常州远大电气", normalizedName: "远大电气", aliases: [], tags: ["老客户"], ownerId: "zhangsan", stage: "contacted" } });
    existingId = c.id;
    await o.db.prisma.contact.create({ data: { customerId: c.id, name: "孙总", phone: "13500000000" } });
  });

  it("dry run reports the merges and the plan, and writes nothing", async () => {
    const audit = await auditCount(o.db);
    const r = await o.run({ kind: "customers", bytes: FILE, fileName: "clean.csv", dryRun: true });
    expect(r.problems).toEqual([]);
    expect(r.headerLine).toBe(2);
    expect(r.merges).toEqual([
      { lines: [3, 4], name: "上海华东机电设备有限公司", into: "file" },
      { lines: [7], name: "常州远大电气有限公司", into: "existing", existingName: "常州远大电气" },
    ]);
    expect(r.counts).toMatchObject({ created: 3, updated: 1, unchanged: 0 });
    expect(await auditCount(o.db)).toBe(audit);
  });

  it("real run writes it all, audited as the org's first admin under one run id", async () => {
    const r = await o.run({ kind: "customers", bytes: FILE, fileName: "clean.csv", dryRun: false });
    expect(r.status).toBe("applied");
    expect(r.actor).toEqual({ id: "admin", name: "管理员" });
    expect(r.counts).toMatchObject({ created: 3, updated: 1, reassigned: 1, contactsCreated: 4 });

    const hd = await o.db.prisma.customer.findFirstOrThrow({ where: { normalizedName: "华东机电" }, include: { contacts: { orderBy: { name: "asc" } } } });
    expect(hd).toMatchObject({ name: "上海华东机电设备有限公司", ownerId: "zhangsan", stage: "proposal", level: "A", region: "上海", address: "上海市浦东新区张江路1号", tags: ["重点", "老客户", "展会"] });
    expect(hd.contacts.map((c) => [c.name, c.title, c.phone])).toEqual([["李工", "技术", "13900001111"], ["王经理", "采购经理", "13800138000"]]);

    const nb = await o.db.prisma.customer.findFirstOrThrow({ where: { normalizedName: "东方轴承" } });
    expect(nb).toMatchObject({ ownerId: "lisi", stage: "contacted", level: "B", region: "浙江 宁波", aliases: [] }); // 简称 = its own normalised name
    const pool = await o.db.prisma.customer.findFirstOrThrow({ where: { normalizedName: "恒力泵业" }, include: { contacts: true } });
    expect(pool).toMatchObject({ ownerId: null, stage: "negotiation" });
    expect(pool.contacts.map((c) => [c.name, c.phone])).toEqual([["未留姓名", "051266668888"]]);

    const existing = await o.db.prisma.customer.findUniqueOrThrow({ where: { id: existingId }, include: { contacts: true } });
    expect(existing).toMatchObject({ name: "常州远大电气", ownerId: "wangwu", stage: "won", level: "C", region: "江苏 常州", tags: ["老客户"] });
    expect(existing.contacts).toHaveLength(1); // 孙总 known already; the file gives no phone, so his stays

    const audit = await o.db.prisma.auditLog.findMany({ where: { eventId: r.runId! }, orderBy: { id: "asc" } });
    expect(new Set(audit.map((a) => a.actorId))).toEqual(new Set(["admin"]));
    expect(audit.map((a) => a.action).sort()).toEqual(
      ["customer.create", "customer.create", "customer.create", "customer.update", "customer.reassign", "contact.create", "contact.create", "contact.create", "contact.create", "import.customers"].sort(),
    );
  });

  it("the same file again changes nothing and says so", async () => {
    const audit = await auditCount(o.db);
    const r = await o.run({ kind: "customers", bytes: FILE, fileName: "clean.csv", dryRun: false });
    expect(r.status).toBe("unchanged");
    expect(r.counts).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
    expect(await auditCount(o.db)).toBe(audit);
  });
});

describe("duplicates and owners", () => {
  it("the same company twice with different owners is a bad row naming both lines", async () => {
    const r = await o.run({ kind: "customers", bytes: "客户名称,负责人\n无锡新锐自动化有限公司,张三\n无锡新锐自动化科技有限公司,李四\n", fileName: "d.csv", dryRun: true });
    expect(r.problems).toEqual([{ line: 3, message: "和第 2 行是同一个客户「无锡新锐自动化有限公司」，但负责人不同（第 2 行是「zhangsan」，这里是「lisi」）" }]);
  });

  it("a stage conflict is reported in the file's words, not the stored values", async () => {
    const r = await o.run({ kind: "customers", bytes: "客户名称,阶段\n无锡新锐自动化有限公司,线索\n无锡新锐自动化科技有限公司,方案报价\n", fileName: "s.csv", dryRun: true });
    expect(r.problems).toEqual([{ line: 3, message: "和第 2 行是同一个客户「无锡新锐自动化有限公司」，但阶段不同（第 2 行是「线索」，这里是「方案报价」）" }]);
  });

  it("a 简称 that may be an existing customer, or another row, is named but not merged on a guess", async () => {
    const r = await o.run({ kind: "customers", bytes: "客户名称\n华东\n无锡新锐精密机械有限公司\n新锐精密\n", fileName: "n.csv", dryRun: true });
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([
      { line: 2, message: "「华东」可能和已有客户「上海华东机电设备有限公司」是同一家（名称互相包含），没有合并；如果是同一家，把客户名称改成一样的再导入" },
      { line: 4, message: "「新锐精密」可能和第 3 行的「无锡新锐精密机械有限公司」是同一家（名称互相包含），没有合并；如果是同一家，把客户名称改成一样的再导入" },
    ]);
    expect(r.counts.created).toBe(3);
  });

  it("an owner's name shared by two people is ambiguous; the account id settles it", async () => {
    await o.db.prisma.user.create({ data: { id: "zhangsan2", name: "张三", roles: ["rep"] } });
    try {
      const r = await o.run({ kind: "customers", bytes: "客户名称,负责人\n合肥某某电气有限公司,张三\n", fileName: "o.csv", dryRun: true });
      expect(r.problems).toEqual([{ line: 2, message: "负责人「张三」有 2 位同名同事（zhangsan、zhangsan2），请改写成账号" }]);
      const ok = await o.run({ kind: "customers", bytes: "客户名称,负责人账号,负责人\n合肥某某电气有限公司,zhangsan2,张三\n", fileName: "o.csv", dryRun: true });
      expect(ok.problems).toEqual([]);
    } finally {
      await o.db.prisma.user.delete({ where: { id: "zhangsan2" } });
    }
  });

  it("an owner taken over the per-rep limit is warned about (the import is the administrator's call)", async () => {
    const deps = { ...importDeps(o.db.prisma, o.org, normalizeCompanyName, () => NOW), maxOwnedPerRep: 1 };
    const r = await importFile(deps, { kind: "customers", bytes: Buffer.from("客户名称,负责人\n嘉兴甲公司,李四\n嘉兴乙公司,李四\n"), fileName: "l.csv", dryRun: true });
    const owned = await o.db.prisma.customer.count({ where: { ownerId: "lisi" } });
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([{ line: null, message: `李四导入后将负责 ${owned + 2} 个客户，超过每人上限 1（rules.pool.maxOwnedPerRep）：降到上限以下之前，领取和转交给李四都会被拒绝` }]);
  });

  it("--as must name an active admin", async () => {
    await expect(o.run({ kind: "customers", bytes: "客户名称\n某某公司\n", fileName: "a.csv", dryRun: true, as: "zhangsan" })).rejects.toMatchObject({ code: "import_actor" });
  });

  it("a file without a name column stops at once, naming the columns it found", async () => {
    await expect(o.run({ kind: "customers", bytes: "联系人,电话\n王经理,13800138000\n", fileName: "x.csv", dryRun: true })).rejects.toMatchObject({ code: "import_missing_column" });
  });
});

describe("formats and encodings", () => {
  it("xlsx: Excel's row numbers, numeric phone cells, English headers", async () => {
    const bytes = await xlsxOf([
      ["Customer Name", "Contact", "Mobile", "Owner", "Stage", "Level"],
      ["Siemens Ltd", "Mr. Li", 13811112222, "lisi", "qualified", "A"],
      [null, null, null, null, null, null],
      ["ABB（中国）有限公司", "Ms. Wu", "1381111", "李四", "赢单", "Z"],
    ]);
    const r = await o.run({ kind: "customers", bytes, fileName: "c.xlsx", dryRun: true });
    expect(r.format).toBe("xlsx");
    expect(r.problems).toEqual([{ line: 4, message: "级别「Z」不认识（只能是 A、B 或 C）" }]);
    const fixed = await xlsxOf([
      ["Customer Name", "Contact", "Mobile", "Owner", "Stage", "Level"],
      ["Siemens Ltd", "Mr. Li", 13811112222, "lisi", "qualified", "A"],
      ["ABB（中国）有限公司", "Ms. Wu", "1381111", "李四", "赢单", "C"],
    ]);
    expect((await o.run({ kind: "customers", bytes: fixed, fileName: "c.xlsx", dryRun: false })).status).toBe("applied");
    const abb = await o.db.prisma.customer.findFirstOrThrow({ where: { normalizedName: "abb" }, include: { contacts: true } });
    expect(abb).toMatchObject({ ownerId: "lisi", stage: "won", level: "C" });
    const siemens = await o.db.prisma.customer.findFirstOrThrow({ where: { name: "Siemens Ltd" }, include: { contacts: true } });
    expect(siemens.contacts[0]).toMatchObject({ name: "Mr. Li", phone: "13811112222" });
  });

  it("CSV saved by Chinese Excel (GBK) and UTF-8 with BOM read the same", async () => {
    const text = "客户名称,联系人,电话,负责人,阶段\r\n温州瓯江阀门有限公司,陈经理,13966667777,王五,需求确认\r\n";
    const gbk = encodeGbk(text);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")]);
    const a = await o.run({ kind: "customers", bytes: gbk, fileName: "gbk.csv", dryRun: true });
    const b = await o.run({ kind: "customers", bytes: bom, fileName: "bom.csv", dryRun: true });
    expect(a.encoding).toBe("gb18030");
    expect(b.encoding).toBe("utf-8-bom");
    expect(a.problems).toEqual([]);
    expect(a.changes).toEqual(b.changes);
    expect(a.changes[0]).toMatchObject({ name: "温州瓯江阀门有限公司", action: "create", fields: ["负责人 王五，阶段 已确认需求，联系人 陈经理"] });
  });

  it("a quoted cell spanning lines keeps the next rows' line numbers right", async () => {
    const r = await o.run({ kind: "customers", bytes: '客户名称,地址,等级\n"甲公司","一号楼\n二层",A\n乙公司,,X\n', fileName: "m.csv", dryRun: true });
    expect(r.problems).toEqual([{ line: 4, message: "级别「X」不认识（只能是 A、B 或 C）" }]);
  });
});
