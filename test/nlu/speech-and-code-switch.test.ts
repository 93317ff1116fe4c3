import { describe, expect, it } from "vitest";
import { translateCodeSwitch } from "../../src/nlu/rules/code-switch.ts";
import { cleanSpeech } from "../../src/nlu/rules/speech.ts";

describe("cleanSpeech: voice fillers and homophones", () => {
  it.each([
    ["嗯那个我今天的任务有哪些", "我今天的任务有哪些"],
    // 那个 before a name is left to the company finder's leading filler (那个项目 is not a hesitation).
    ["嗯那个华锐轴承的钱科长来电话了", "那个华锐轴承的钱科长来电话了"],
    ["哈，液压油缸HC-63要两百支", "液压油缸HC-63要两百支"],
    ["给穗丰的然后灌装阀GZ-20要四十个", "给穗丰的，灌装阀GZ-20要四十个"],
    ["下周一在联系他", "下周一再联系他"],
    ["要在对比一下", "要再对比一下"],
    ["项目以经批下来了", "项目已经批下来了"],
    ["查一下宏达阀门呗", "查一下宏达阀门"],
  ])("%s → %s", (input, want) => {
    expect(cleanSpeech(input)).toBe(want);
  });

  it.each([
    ["拜访杭州娃哈哈 杜经理", "拜访杭州娃哈哈 杜经理"], // 哈 inside a name stays
    ["哈尔滨电机 王总", "哈尔滨电机 王总"],
    ["今天在大连海辰冷链", "今天在大连海辰冷链"], // 在 + a place is "at"
    ["哈哈", "哈哈"], // chit-chat alone is left for the classifier
    ["就下个单吧", "就下个单吧"], // 下个单吧 is a request
  ])("leaves %s alone", (input, want) => {
    expect(cleanSpeech(input)).toBe(want);
  });
});

describe("translateCodeSwitch: English inside Chinese", () => {
  it.each([
    ["Visited 苏州新朗光电, 杨总监 说", "拜访了 苏州新朗光电, 杨总监 说"],
    ["PO from 海岳重工: 减速机R57 x 60, unit price ¥8,600", "下单 海岳重工: 减速机R57 x 60, 单价 ¥8,600"],
    ["要 quote for 60 units", "要 报价 60个"],
    ["budget 35万, discount 5%", "预算 35万, 折扣 5%"],
    ["这周的 visits 和 orders 多少", "这周的 拜访量 和 订单量 多少"],
  ])("%s", (input, want) => {
    expect(translateCodeSwitch(input)).toBe(want);
  });

  it("leaves all-English messages to the English reader", () => {
    expect(translateCodeSwitch("visited Siemens today, met Mr. Li")).toBe("visited Siemens today, met Mr. Li");
  });
});
