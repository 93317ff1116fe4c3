// What a rep types when the warehouse needs an address: each piece found, and ordinary messages not taken for it.
import { describe, expect, it } from "vitest";
import { looksLikeDeliveryInfo, readDeliveryInfo } from "../../src/nlu/delivery-info.ts";

describe("reading delivery info", () => {
  it.each([
    ["上海市浦东新区张江路100号 王经理 13800138000", { address: "上海市浦东新区张江路100号", contact: "王经理", phone: "13800138000" }],
    ["地址：苏州工业园区星湖街88号，联系人李工，电话0512-66881234", { address: "苏州工业园区星湖街88号", contact: "李工", phone: "0512-66881234" }],
    ["收货人 张三 139 1234 5678 杭州市余杭区文一西路969号", { address: "杭州市余杭区文一西路969号", contact: "张三", phone: "13912345678" }],
    ["送到宁波北仑区新碶街道明州路8号仓库 找陈师傅", { address: "宁波北仑区新碶街道明州路8号仓库", contact: "陈师傅" }],
    ["收货人刘洋电话15900001111", { contact: "刘洋", phone: "15900001111" }],
    // A title inside the address (苏州工业园区 holds 州工) is no person: the address stays whole (found in the playground).
    ["苏州工业园区星湖街328号 周姐 13912340000", { address: "苏州工业园区星湖街328号", contact: "周姐", phone: "13912340000" }],
    ["无锡新吴区旺庄工业园长江路21号 刘厂长 0510-85201234", { address: "无锡新吴区旺庄工业园长江路21号", contact: "刘厂长", phone: "0510-85201234" }],
    ["常州武进区湖塘镇人民路9号 13861110000", { address: "常州武进区湖塘镇人民路9号", phone: "13861110000" }],
  ])("%s", (text, want) => {
    expect(readDeliveryInfo(text)).toEqual(want);
    expect(looksLikeDeliveryInfo(text)).toBe(true);
  });

  it.each(["今天拜访了华东机电的王经理，下周三带报价再去", "下单 华东机电 电机A 50台", "取消", "待办", "本周业绩"])("not an answer: %s", (text) => {
    expect(looksLikeDeliveryInfo(text)).toBe(false);
  });
});

describe("a visit log naming a street and a person is not an answer", () => {
  it.each(["今天去了张江路100号的华东机电 王经理说下周下单", "拜访宁波北仑区明州路8号的东方轴承 陈师傅 13912345678 下周再联系"])("%s", (text) => {
    expect(looksLikeDeliveryInfo(text)).toBe(false);
  });
});

describe("a command naming an address is that command", () => {
  it.each(["改 客户 华东机电 地址 上海市浦东新区张江路100号", "改客户华东机电地址上海市浦东新区张江路100号 王经理 13800138000"])("%s", (text) => {
    expect(looksLikeDeliveryInfo(text)).toBe(false);
  });
});
